import {Agent, request} from 'node:http';
import type {SocketAddress} from '../sidecar/plugin.js';
import {matchRoute, serviceAuthority, type ServiceSpec} from '../topology.js';
import type {TruthRecorder} from '../truth.js';

export interface CallResult {
  /** HTTP status, or 0 when the call failed without a response. */
  status: number;
  body: string;
  latencyMs: number;
}

/** Calls give up after this long (longer than any sidecar's own upstream timeout). */
const CALL_TIMEOUT_MS = 15_000;

/**
 * How an application calls other services: plain HTTP to its sidecar's outbound listener,
 * naming the service in the Host header. Every call is counted in the ground truth by the
 * caller, with the latency the caller saw.
 */
export class ServiceClient {
  private readonly agent = new Agent({keepAlive: true, maxSockets: 64, timeout: 30_000});

  constructor(
    private readonly source: string,
    private readonly outbound: SocketAddress,
    private readonly truth: TruthRecorder,
  ) {}

  call(service: ServiceSpec, method: string, path: string, options: {body?: string; headers?: Record<string, string>} = {}): Promise<CallResult> {
    const started = performance.now();
    const route = matchRoute(service, method, path)?.template ?? '[unknown]';
    return new Promise((resolve) => {
      let settled = false;
      const done = (status: number, body: string) => {
        if (settled) return;
        settled = true;
        const latencyMs = performance.now() - started;
        this.truth.recordCall({source: this.source, destination: service.name, method, route, status}, latencyMs);
        resolve({status, body, latencyMs});
      };
      const headers: Record<string, string> = {host: serviceAuthority(service), ...options.headers};
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(options.body));
      }
      const req = request({agent: this.agent, host: this.outbound.host, port: this.outbound.port, method, path, headers, setHost: false}, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', () => done(0, ''));
        res.on('aborted', () => done(0, ''));
      });
      req.setTimeout(CALL_TIMEOUT_MS, () => req.destroy());
      req.on('error', () => done(0, ''));
      req.end(options.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
