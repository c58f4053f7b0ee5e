import {request, type Agent, type IncomingMessage, type ServerResponse} from 'node:http';
import {flat, fromRaw, withoutHopByHop, type HeaderList} from './headers.js';
import type {ExchangeResult, ForwardInfo, ProxyError, RequestInfo, RequestObserver, SidecarPlugin} from './plugin.js';

/** Where one request goes: an HTTP agent (pooling connections to one address) and who is there. */
export interface ForwardTarget {
  agent: Agent;
  host: string;
  port: number;
  info: ForwardInfo;
  /** Called once when the exchange ends (load balancers track requests in flight). */
  release?: () => void;
}

/** A proxy gives up on an upstream that has not answered within this long. */
export const UPSTREAM_TIMEOUT_MS = 10_000;

/**
 * Proxy one HTTP exchange: forward the request to the chosen target, stream the response back,
 * time both, and report exactly one result to the observer. Failures become the flavour's
 * local reply (a 5xx from the proxy), as a real sidecar answers them.
 */
export function forwardExchange(
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  observer: RequestObserver,
  plugin: SidecarPlugin,
  choose: () => ForwardTarget | ProxyError,
): void {
  const result: ExchangeResult = {
    status: 0,
    error: null,
    localReply: false,
    responseHeaders: [],
    forward: null,
    requestBytes: 0,
    responseBytes: 0,
    requestBody: null,
    responseBody: null,
    requestBodyTruncated: false,
    responseBodyTruncated: false,
    upstreamStartMs: null,
    upstreamHeadersMs: null,
    responseHeadersMs: null,
    endMs: 0,
  };
  const capture = observer.captureBodies;
  const requestBody = capture ? new BodyCapture(capture.request) : null;
  const responseBody = capture ? new BodyCapture(capture.response) : null;
  let finished = false;
  let release: (() => void) | undefined;

  const finish = (error: ProxyError | null) => {
    if (finished) return;
    finished = true;
    release?.();
    result.endMs = performance.now();
    if (error && !result.error) result.error = error;
    if (requestBody) ({bytes: result.requestBody, truncated: result.requestBodyTruncated} = requestBody.result());
    if (responseBody) ({bytes: result.responseBody, truncated: result.responseBodyTruncated} = responseBody.result());
    observer.complete(result);
  };

  const replyLocally = (error: ProxyError) => {
    result.error = error;
    if (res.headersSent) {
      res.destroy();
      finish(error);
      return;
    }
    const reply = plugin.localReply(error);
    const headers: HeaderList = [['content-length', String(Buffer.byteLength(reply.body))], ['content-type', 'text/plain'], ...(reply.headers ?? [])];
    observer.respond?.(reply.status, headers, null);
    result.status = reply.status;
    result.localReply = true;
    result.responseHeaders = headers;
    result.responseHeadersMs = performance.now();
    result.responseBytes = Buffer.byteLength(reply.body);
    responseBody?.add(Buffer.from(reply.body));
    res.on('finish', () => finish(error));
    res.writeHead(reply.status, flat(headers));
    res.end(reply.body);
  };

  req.on('data', (chunk: Buffer) => {
    result.requestBytes += chunk.length;
    requestBody?.add(chunk);
  });
  res.on('close', () => {
    if (!res.writableFinished) finish('downstream-reset');
  });

  const target = choose();
  if (typeof target === 'string') {
    req.resume();
    req.on('end', () => replyLocally(target));
    return;
  }
  release = target.release;
  result.forward = target.info;
  const headers = info.headers;
  observer.forward?.(headers, target.info);
  result.upstreamStartMs = performance.now();
  const upstream = request({
    agent: target.agent,
    host: target.host,
    port: target.port,
    method: info.method,
    path: info.path,
    headers: flat(headers),
    setHost: false,
  });
  const timer = setTimeout(() => upstream.destroy(new TimeoutError()), UPSTREAM_TIMEOUT_MS);
  timer.unref();
  upstream.on('error', (error) => {
    clearTimeout(timer);
    if (finished) return;
    replyLocally(error instanceof TimeoutError ? 'timeout' : CONNECT_ERRORS.has((error as NodeJS.ErrnoException).code ?? '') ? 'connect' : 'reset');
  });
  upstream.on('response', (upstreamRes: IncomingMessage) => {
    result.upstreamHeadersMs = performance.now();
    const status = upstreamRes.statusCode ?? 502;
    const out = withoutHopByHop(fromRaw(upstreamRes.rawHeaders));
    observer.respond?.(status, out, result.upstreamHeadersMs - (result.upstreamStartMs ?? result.upstreamHeadersMs));
    result.status = status;
    result.responseHeaders = out;
    res.writeHead(status, flat(out));
    result.responseHeadersMs = performance.now();
    upstreamRes.on('data', (chunk: Buffer) => {
      result.responseBytes += chunk.length;
      responseBody?.add(chunk);
    });
    upstreamRes.on('error', () => res.destroy());
    upstreamRes.on('aborted', () => {
      result.error = 'reset';
      res.destroy();
    });
    res.on('finish', () => {
      clearTimeout(timer);
      finish(null);
    });
    upstreamRes.pipe(res);
  });
  req.pipe(upstream);
}

/** Errors that mean no connection to the upstream was ever established. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED']);

class TimeoutError extends Error {
  constructor() {
    super('upstream timeout');
  }
}

/** Keeps the first `limit` bytes of a body and notes whether more went by. */
class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
  }

  result(): {bytes: Buffer; truncated: boolean} {
    return {bytes: Buffer.concat(this.chunks), truncated: this.truncated};
  }
}
