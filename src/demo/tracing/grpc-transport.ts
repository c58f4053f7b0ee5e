import {connect, constants, type ClientHttp2Session} from 'node:http2';
import {frameMessage} from '../../tracing/grpc/framing.js';
import {EXPORT_PATH} from '../../tracing/grpc/server.js';
import type {SpanTransport} from './transports.js';

/**
 * OTLP/gRPC as linkerd2-proxy exports it: unary TraceService/Export calls over one HTTP/2
 * connection without TLS, kept open between batches. A connection that dies (refused, reset,
 * GOAWAY) is forgotten, and the next batch dials again.
 */
export class GrpcSpanTransport implements SpanTransport {
  private session: ClientHttp2Session | null = null;

  constructor(private readonly address: string) {}

  send(body: Uint8Array, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const req = this.connection().request({
        ':method': 'POST',
        ':path': EXPORT_PATH,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': `${Math.max(1, Math.round(timeoutMs))}m`,
      });
      let httpOk = false;
      let status: unknown;
      const timer = setTimeout(() => req.close(constants.NGHTTP2_CANCEL), timeoutMs);
      req.on('response', (headers) => {
        httpOk = headers[':status'] === 200;
        status = headers['grpc-status'];
      });
      req.on('trailers', (trailers) => (status = trailers['grpc-status']));
      req.on('error', () => {});
      req.on('close', () => {
        clearTimeout(timer);
        resolve(httpOk && status === '0');
      });
      req.resume();
      req.end(frameMessage(body));
    });
  }

  close(): void {
    this.session?.destroy();
    this.session = null;
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(`http://${this.address}`);
    const forget = () => {
      if (this.session === session) this.session = null;
    };
    // A failed connection fails the calls on it (counted as drops); the next batch reconnects.
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    // An idle exporter connection must not keep a process alive.
    session.unref();
    this.session = session;
    return session;
  }
}
