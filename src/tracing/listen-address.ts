import {isIP} from 'node:net';
import {UsageError} from '../errors.js';
import {isLoopbackHost} from '../util/loopback.js';

/** The OTLP default ports: 4318 for OTLP/HTTP, 4317 for OTLP/gRPC. */
export const DEFAULT_LISTEN = '127.0.0.1:4318';
export const DEFAULT_GRPC_LISTEN = '127.0.0.1:4317';

export interface ListenAddress {
  host: string;
  port: number;
  /** Only loopback clients can reach it. */
  loopback: boolean;
}

/**
 * Parse `--listen` (or `--grpc-listen`, named by `flag`): `HOST:PORT`, `[IPv6]:PORT`, or a
 * bare `PORT` / `:PORT`, which means loopback. The collector never listens beyond loopback
 * unless the host is spelled out.
 */
export function parseListen(text: string, flag = '--listen', examplePort = 4318): ListenAddress {
  const value = text.trim();
  const usage = () =>
    new UsageError(
      `invalid ${flag} "${text}"`,
      `use HOST:PORT, e.g. 127.0.0.1:${examplePort} (loopback only) or 0.0.0.0:${examplePort} (every interface)`,
    );
  let host: string;
  let portText: string;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (bracketed) [, host, portText] = bracketed;
  else if (/^:?\d+$/.test(value)) {
    host = '127.0.0.1';
    portText = value.replace(/^:/, '');
  } else {
    const colon = value.lastIndexOf(':');
    if (colon <= 0 || value.indexOf(':') !== colon) throw usage();
    host = value.slice(0, colon);
    portText = value.slice(colon + 1);
  }
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw usage();
  if (isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)) throw usage();
  return {host, port: Number(portText), loopback: isLoopbackHost(host)};
}

/** `--grpc-listen`: an address as for `--listen`, or `off` (null) for no OTLP/gRPC at all. */
export function parseGrpcListen(text: string): ListenAddress | null {
  if (text.trim().toLowerCase() === 'off') return null;
  return parseListen(text, '--grpc-listen', 4317);
}
