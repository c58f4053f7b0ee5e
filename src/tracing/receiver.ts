import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {errorMessage} from '../errors.js';
import {BodyError, readBody} from './body.js';
import {acceptPayload, type ReceiverOptions} from './intake.js';
import {hostPort, listenOn} from './listen-socket.js';
import {encodingOfContentType} from './otlp/decode.js';
import {CONTENT_TYPES, exportResponse, RPC_CODE, statusBody, type RpcCode} from './otlp/responses.js';

export const TRACES_PATH = '/v1/traces';

export interface Receiver {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** The HTTP status for a refusal the shared intake decided on. */
const HTTP_STATUS: Partial<Record<RpcCode, number>> = {[RPC_CODE.INVALID_ARGUMENT]: 400, [RPC_CODE.UNAVAILABLE]: 503};

/** An OTLP/HTTP trace receiver (POST /v1/traces, protobuf or JSON, optionally gzip). */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const server = createServer({requestTimeout: 30_000, headersTimeout: 10_000}, (req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      // Anything reaching here is a bug; answer so the client is not left hanging.
      options.onProblem({client: clientOf(req), status: 500, refused: true, message: `internal error: ${errorMessage(error)}`});
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await listenOn(server, options.host, options.port, '--listen');
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    url: `http://${hostPort(address.address, address.port)}${TRACES_PATH}`,
    close: () => closeServer(server),
  };
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
  return hostPort((req.socket.remoteAddress ?? '?').replace(/^::ffff:/, ''), req.socket.remotePort ?? 0);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ReceiverOptions): Promise<void> {
  const client = clientOf(req);
  const path = (req.url ?? '/').split('?')[0];
  const contentType = req.headers['content-type'];
  const encoding = encodingOfContentType(contentType);
  const fail = (status: number, code: number, message: string, headers: Record<string, string> = {}) => {
    options.onProblem({client, status, refused: true, message: `${req.method} ${path}: ${message}`});
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

  const outcome = await acceptPayload(client, body, encoding, options.onBatch);
  if (!outcome.accepted) {
    const retry = outcome.code === RPC_CODE.UNAVAILABLE ? {'retry-after': '5'} : undefined;
    return fail(HTTP_STATUS[outcome.code] ?? 500, outcome.code, outcome.message, retry);
  }
  if (outcome.warning) options.onProblem({client, status: 200, refused: false, message: `${req.method} ${path}: ${outcome.warning}`});
  res.writeHead(200, {'content-type': CONTENT_TYPES[encoding]});
  res.end(exportResponse(encoding, outcome.rejectedSpans, outcome.warning));
}
