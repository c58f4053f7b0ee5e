import {constants, createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream} from 'node:http2';
import type {AddressInfo} from 'node:net';
import {errorMessage} from '../../errors.js';
import {acceptPayload, type ReceiverOptions} from '../intake.js';
import {hostPort, listenOn} from '../listen-socket.js';
import {exportResponse, RPC_CODE, rpcCodeName, type RpcCode} from '../otlp/responses.js';
import {CallError, frameMessage} from './framing.js';
import {readRequestMessage} from './read-message.js';
import {percentEncode, parseGrpcTimeout} from './status.js';

/** opentelemetry/proto/collector/trace/v1/trace_service.proto: service TraceService { rpc Export }. */
export const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
export const ACCEPTED_ENCODINGS = 'identity,gzip';
/** How long a client may take to send one request when it names no grpc-timeout. */
const DEFAULT_DEADLINE_MS = 30_000;

export interface GrpcReceiver {
  host: string;
  port: number;
  /** `127.0.0.1:4317`: what an OTLP/gRPC exporter is pointed at. */
  address: string;
  close(): Promise<void>;
}

/**
 * An OTLP/gRPC trace receiver: unary TraceService/Export over HTTP/2 without TLS (h2c, prior
 * knowledge), protobuf messages, identity or gzip. Accepted batches go through the same intake
 * as OTLP/HTTP ones.
 */
export async function startGrpcReceiver(options: ReceiverOptions): Promise<GrpcReceiver> {
  const server = createServer({
    // Room for one default-sized batch in flight without waiting on window updates.
    settings: {initialWindowSize: 1024 * 1024, maxConcurrentStreams: 100},
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
  });
  server.on('stream', (stream, headers) => {
    // A client that resets its call (RST_STREAM with an error code) makes Node destroy the
    // stream with an error; the call is over either way, and unhandled it would end the process.
    stream.on('error', () => {});
    handleCall(stream, headers, options).catch((error: unknown) => {
      // Anything reaching here is a bug; answer so the client is not left hanging.
      const call = new Call(stream, headers, options);
      call.fail(new CallError(RPC_CODE.INTERNAL, `internal error: ${errorMessage(error)}`));
    });
  });
  await listenOn(server, options.host, options.port, '--grpc-listen');
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    address: hostPort(address.address, address.port),
    close: () => closeServer(server, sessions),
  };
}

function closeServer(server: Http2Server, sessions: Set<ServerHttp2Session>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // GOAWAY: calls in flight finish, no new ones start; then whatever is left goes.
    for (const session of sessions) session.close();
    setTimeout(() => sessions.forEach((session) => session.destroy()), 200).unref();
  });
}

async function handleCall(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, options: ReceiverOptions): Promise<void> {
  const call = new Call(stream, headers, options);
  const contentType = String(headers['content-type'] ?? '');
  if (!/^application\/grpc(\+|;|$)/.test(contentType)) {
    // The spec's advice: a plain HTTP error, so no HTTP/2 client takes the 200 of a gRPC error for success.
    return call.fail(new CallError(RPC_CODE.INVALID_ARGUMENT, `content-type "${contentType}" is not gRPC; send application/grpc`), 415);
  }
  if (headers[':path'] !== EXPORT_PATH) {
    return call.fail(new CallError(RPC_CODE.UNIMPLEMENTED, `unknown method ${String(headers[':path'])}; OTLP traces go to ${EXPORT_PATH}`));
  }
  if (headers[':method'] !== 'POST') return call.fail(new CallError(RPC_CODE.UNIMPLEMENTED, `method ${String(headers[':method'])} not allowed; gRPC calls are POST`));
  if (!/^application\/grpc(\+proto)?(;|$)/.test(contentType)) {
    return call.fail(new CallError(RPC_CODE.UNIMPLEMENTED, `content-type "${contentType}": only protobuf messages (application/grpc or application/grpc+proto)`));
  }
  const encoding = String(headers['grpc-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    return call.fail(new CallError(RPC_CODE.UNIMPLEMENTED, `unsupported grpc-encoding "${encoding}"; send gzip or identity`));
  }
  const timeoutMs = parseGrpcTimeout(headers['grpc-timeout'] as string | undefined);
  if (Number.isNaN(timeoutMs)) return call.fail(new CallError(RPC_CODE.INVALID_ARGUMENT, `malformed grpc-timeout "${String(headers['grpc-timeout'])}"`));

  let payload: Buffer;
  try {
    payload = await readRequestMessage(stream, {maxBytes: options.maxBodyBytes, encoding, deadlineMs: timeoutMs ?? DEFAULT_DEADLINE_MS});
  } catch (error) {
    if (!(error instanceof CallError)) throw error;
    return call.fail(error);
  }
  const outcome = await acceptPayload(call.client, payload, 'protobuf', options.onBatch);
  if (!outcome.accepted) return call.fail(new CallError(outcome.code, outcome.message));
  if (outcome.warning) options.onProblem({client: call.client, status: 'OK', refused: false, message: `${call.label}: ${outcome.warning}`});
  call.succeed(exportResponse('protobuf', outcome.rejectedSpans, outcome.warning));
}

/** One call's answer: a response message and trailers, or Trailers-Only for an error. */
class Call {
  readonly client: string;
  readonly label: string;

  constructor(
    private readonly stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    private readonly options: ReceiverOptions,
  ) {
    const socket = stream.session?.socket;
    this.client = hostPort((socket?.remoteAddress ?? '?').replace(/^::ffff:/, ''), socket?.remotePort ?? 0);
    this.label = headers[':path'] === EXPORT_PATH ? 'gRPC Export' : `gRPC ${String(headers[':path'])}`;
  }

  succeed(response: Uint8Array): void {
    if (!this.writable()) return;
    this.stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': ACCEPTED_ENCODINGS}, {waitForTrailers: true});
    this.stream.once('wantTrailers', () => this.stream.sendTrailers({'grpc-status': String(RPC_CODE.OK)}));
    this.stream.end(frameMessage(response));
  }

  fail(error: CallError, httpStatus = 200): void {
    this.report(error.code, error.message);
    if (!this.writable()) return;
    this.stream.respond(
      {
        ':status': httpStatus,
        'content-type': 'application/grpc',
        'grpc-status': String(error.code),
        'grpc-message': percentEncode(error.message),
        ...(error.code === RPC_CODE.UNIMPLEMENTED ? {'grpc-accept-encoding': ACCEPTED_ENCODINGS} : {}),
      },
      {endStream: true},
    );
    // Answered before the client finished sending: reset the stream so it stops (and nothing more is read).
    const code = error.code === RPC_CODE.DEADLINE_EXCEEDED ? constants.NGHTTP2_CANCEL : constants.NGHTTP2_NO_ERROR;
    if (!this.stream.readableEnded) this.stream.close(code);
  }

  private report(code: RpcCode, message: string): void {
    this.options.onProblem({client: this.client, status: rpcCodeName(code), refused: true, message: `${this.label}: ${message}`});
  }

  private writable(): boolean {
    return !this.stream.destroyed && !this.stream.closed && !this.stream.headersSent;
  }
}
