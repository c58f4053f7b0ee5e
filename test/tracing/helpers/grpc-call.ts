import {connect, type ClientHttp2Session, type IncomingHttpHeaders} from 'node:http2';

export const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export interface GrpcReply {
  httpStatus: number;
  headers: IncomingHttpHeaders;
  trailers: IncomingHttpHeaders;
  /** grpc-status from the trailers, or from the headers of a Trailers-Only answer. */
  status: number | null;
  /** grpc-message, percent-decoded. */
  message: string | null;
  /** The response messages, prefixes removed. */
  messages: Buffer[];
}

/** A gRPC Length-Prefixed-Message, written here from the spec rather than taken from the code under test. */
export function lengthPrefixed(payload: Uint8Array, compressedFlag = 0): Buffer {
  const prefix = Buffer.from([compressedFlag, 0, 0, 0, 0]);
  prefix.writeUInt32BE(payload.byteLength, 1);
  return Buffer.concat([prefix, payload]);
}

/** An h2c session to `host:port` (prior knowledge), as gRPC clients open one. */
export function openSession(address: string): ClientHttp2Session {
  const session = connect(`http://${address}`);
  session.on('error', () => {});
  return session;
}

/** One unary call: request headers, then `body` (already framed) and END_STREAM unless `keepOpen`. */
export function grpcCall(
  session: ClientHttp2Session,
  body: Uint8Array,
  headers: Record<string, string> = {},
  options: {path?: string; keepOpen?: boolean; timeoutMs?: number} = {},
): Promise<GrpcReply> {
  return new Promise((resolve, reject) => {
    const req = session.request({':method': 'POST', ':path': options.path ?? EXPORT, 'content-type': 'application/grpc', te: 'trailers', ...headers});
    let responseHeaders: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => req.close(), options.timeoutMs ?? 5000);
    req.on('response', (h) => (responseHeaders = h));
    req.on('trailers', (t) => (trailers = t));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {});
    req.on('close', () => {
      clearTimeout(timer);
      if (responseHeaders[':status'] === undefined) return reject(new Error(`no response (stream reset with code ${req.rstCode})`));
      const status = trailers['grpc-status'] ?? responseHeaders['grpc-status'];
      const message = trailers['grpc-message'] ?? responseHeaders['grpc-message'];
      resolve({
        httpStatus: Number(responseHeaders[':status']),
        headers: responseHeaders,
        trailers,
        status: status === undefined ? null : Number(status),
        message: message === undefined ? null : decodeURIComponent(String(message)),
        messages: unframe(Buffer.concat(chunks)),
      });
    });
    if (options.keepOpen) req.write(body);
    else req.end(body);
  });
}

function unframe(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 5 <= data.length; ) {
    const length = data.readUInt32BE(at + 1);
    out.push(data.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return out;
}
