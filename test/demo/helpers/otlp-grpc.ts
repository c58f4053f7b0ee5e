import {createServer, type Http2Server, type ServerHttp2Session} from 'node:http2';
import type {AddressInfo} from 'node:net';
import {decodeTraceRequest, type DecodedSpan} from './otlp.js';

export interface GrpcCollectorCall {
  path: string;
  contentType: string;
}

/**
 * A minimal OTLP/gRPC collector for the demo's tests, written from the gRPC wire format rather
 * than with the receiver under test: it keeps every span, the calls' paths and content types,
 * and how many connections it was sent them on. `restart()` drops every connection and listens
 * again on the same port, as a collector that was restarted.
 */
export class GrpcCollector {
  readonly spans: DecodedSpan[] = [];
  readonly calls: GrpcCollectorCall[] = [];
  connections = 0;
  private server: Http2Server | null = null;
  private readonly sessions = new Set<ServerHttp2Session>();
  port = 0;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer();
    server.on('session', (session) => {
      this.connections++;
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => {});
    });
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => {});
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        this.calls.push({path: String(headers[':path']), contentType: String(headers['content-type'])});
        // One Length-Prefixed-Message: flag byte, 4-byte big-endian length, message.
        if (data.length >= 5 && data[0] === 0) this.spans.push(...decodeTraceRequest(data.subarray(5, 5 + data.readUInt32BE(1))));
        stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true});
        stream.on('wantTrailers', () => stream.sendTrailers({'grpc-status': '0'}));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const session of this.sessions) session.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  async restart(): Promise<void> {
    await this.close();
    await this.start();
  }
}
