import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {UserError, errorMessage} from '../errors.js';
import {BodyError, readBody} from './body.js';
import type {Span} from './model.js';
import {decodeTraceRequest, encodingOfContentType, OtlpDecodeError, summarizeRejections, type DecodeResult} from './otlp/decode.js';
import {CONTENT_TYPES, exportResponse, RPC_CODE, statusBody, type OtlpEncoding} from './otlp/responses.js';

export const TRACES_PATH = '/v1/traces';
/** The OTLP specification's recommended default request size limit. */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

/** One accepted export request. */
export interface ReceivedBatch {
  client: string;
  encoding: OtlpEncoding;
  /** The request body after gzip decoding: the raw OTLP payload. */
  body: Uint8Array;
  result: DecodeResult<Span>;
}

/** Something a client should be told about: a refused request or rejected spans. */
export interface ReceiverProblem {
  client: string;
  status: number;
  message: string;
}

export interface ReceiverOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  /**
   * Called for every request with at least one accepted span (or none at all), and awaited
   * before the client is answered, so a 200 means the spans were handled. If it throws, the
   * client gets a retryable 503.
   */
  onBatch(batch: ReceivedBatch): void | Promise<void>;
  onProblem(problem: ReceiverProblem): void;
}

export interface Receiver {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** An OTLP/HTTP trace receiver (POST /v1/traces, protobuf or JSON, optionally gzip). */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const server = createServer({requestTimeout: 30_000, headersTimeout: 10_000}, (req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      // Anything reaching here is a bug; answer so the client is not left hanging.
      options.onProblem({client: clientOf(req), status: 500, message: `internal error: ${errorMessage(error)}`});
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await listen(server, options.host, options.port);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    host: address.address,
    port: address.port,
    url: `http://${shownHost}:${address.port}${TRACES_PATH}`,
    close: () => closeServer(server),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new UserError(`cannot listen on ${where}: the port is already in use`, {
        hint: 'stop the other collector, or pick another port with --listen 127.0.0.1:PORT',
      });
    case 'EACCES':
      return new UserError(`cannot listen on ${where}: permission denied`, {hint: 'use a port above 1023'});
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError(`cannot listen on ${where}: no such address on this machine`);
    default:
      return new UserError(`cannot listen on ${where}: ${error.message}`);
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests still in flight get a moment to be answered, then their connections go.
    setTimeout(() => server.closeAllConnections(), 200).unref();
  });
}

function clientOf(req: IncomingMessage): string {
  const address = (req.socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
  return address.includes(':') ? `[${address}]:${req.socket.remotePort}` : `${address}:${req.socket.remotePort}`;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ReceiverOptions): Promise<void> {
  const client = clientOf(req);
  const path = (req.url ?? '/').split('?')[0];
  const contentType = req.headers['content-type'];
  const encoding = encodingOfContentType(contentType);
  const fail = (status: number, code: number, message: string, headers: Record<string, string> = {}) => {
    options.onProblem({client, status, message: `${req.method} ${path}: ${message}`});
    const replyEncoding = encoding ?? 'protobuf';
    res.writeHead(status, {'content-type': CONTENT_TYPES[replyEncoding], ...headers});
    res.end(statusBody(replyEncoding, code, message));
  };

  if (path !== TRACES_PATH) return fail(404, RPC_CODE.NOT_FOUND, `not found; OTLP traces go to POST ${TRACES_PATH}`);
  if (req.method !== 'POST') return fail(405, RPC_CODE.UNIMPLEMENTED, 'method not allowed; use POST', {allow: 'POST'});
  if (!encoding) {
    return fail(415, RPC_CODE.INVALID_ARGUMENT, `unsupported Content-Type "${contentType ?? ''}"; send application/x-protobuf or application/json`);
  }

  let body: Uint8Array;
  try {
    body = await readBody(req, options.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    const code = error.status === 413 ? RPC_CODE.RESOURCE_EXHAUSTED : RPC_CODE.INVALID_ARGUMENT;
    return fail(error.status, code, error.message, req.complete ? {} : {connection: 'close'});
  }

  let result: DecodeResult<Span>;
  try {
    result = decodeTraceRequest(body, encoding);
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return fail(400, RPC_CODE.INVALID_ARGUMENT, `bad ${encoding === 'json' ? 'OTLP/JSON' : 'OTLP protobuf'}: ${error.message}`);
  }
  if (result.spans.length === 0 && result.rejectedSpans > 0) {
    return fail(400, RPC_CODE.INVALID_ARGUMENT, `all ${result.rejectedSpans} spans rejected: ${summarizeRejections(result)}`);
  }

  try {
    await options.onBatch({client, encoding, body, result});
  } catch (error) {
    return fail(503, RPC_CODE.UNAVAILABLE, `could not store the batch: ${errorMessage(error)}`, {'retry-after': '5'});
  }

  let errorText = '';
  if (result.rejectedSpans > 0) {
    errorText = `rejected ${result.rejectedSpans} of ${result.rejectedSpans + result.spans.length} spans: ${summarizeRejections(result)}`;
    options.onProblem({client, status: 200, message: `${req.method} ${path}: ${errorText}`});
  }
  res.writeHead(200, {'content-type': CONTENT_TYPES[encoding]});
  res.end(exportResponse(encoding, result.rejectedSpans, errorText));
}
