import {request} from 'node:http';
import type {SpanTransport} from './transports.js';

/** OTLP/HTTP: one POST of the protobuf payload per batch; any 2xx is a success. */
export class HttpSpanTransport implements SpanTransport {
  constructor(private readonly endpoint: string) {}

  send(body: Uint8Array, timeoutMs: number): Promise<boolean> {
    const url = new URL(this.endpoint);
    return new Promise((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port || 80,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: {'content-type': 'application/x-protobuf', 'content-length': String(body.byteLength)},
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
          res.on('error', () => resolve(false));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    });
  }

  close(): void {}
}
