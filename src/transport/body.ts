import type {Readable} from 'node:stream';
import {transportError} from './errors.js';
import type {Exchange} from './exchange.js';
import {decodedBody, declaredLength} from './decode.js';
import {formatBytes} from '../util/bytes.js';
import {formatCount} from './format.js';
import type {Progress, RequestGuard} from './guard.js';
import {classifyNodeError} from './node-errors.js';
import type {Result, TransportError} from './types.js';

export interface BodyContext {
  guard: RequestGuard;
  progress: Progress;
  /** The URL errors are reported against. */
  url: string;
}

export interface BodyLimits extends BodyContext {
  maxBytes: number;
}

/**
 * Read a whole response body, decoded, into memory. Reading stops and the connection is
 * destroyed as soon as the decoded size passes `maxBytes`, the guard stops, or the
 * connection breaks; the chunks read so far are dropped.
 */
export function readCapped(exchange: Exchange, limits: BodyLimits): Promise<Result<Buffer>> {
  const {req, res} = exchange;
  const {maxBytes, guard, progress, url} = limits;
  const fail = (error: TransportError) => {
    req.destroy();
    return Promise.resolve({ok: false as const, error});
  };
  const decoded = decodedBody(res);
  if (!decoded.ok) return fail(transportError('decode', decoded.message, url));
  const declared = declaredLength(res);
  if (!decoded.compressed && declared !== null && declared > maxBytes) {
    return fail(transportError('too-large', `body of ${formatBytes(declared)} exceeds the ${formatBytes(maxBytes)} cap`, url));
  }

  const body = decoded.body;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Result<Buffer>) => {
      if (settled) return;
      settled = true;
      guard.signal.removeEventListener('abort', onStop);
      if (!result.ok) {
        req.destroy();
        body.destroy();
      }
      resolve(result);
    };
    const onStop = () => settle({ok: false, error: guard.failure(progress, url)});
    if (guard.signal.aborted) return onStop();
    guard.signal.addEventListener('abort', onStop, {once: true});

    res.on('data', (chunk: Buffer) => (progress.wireBytes += chunk.length));
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        const what = decoded.compressed ? 'decompressed body' : 'body';
        settle({ok: false, error: transportError('too-large', `${what} exceeds the ${formatBytes(maxBytes)} cap`, url)});
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => settle({ok: true, value: Buffer.concat(chunks, size)}));
    // 'close' also follows a normal 'end'; only build an error when nothing settled first.
    body.on('error', (error) => settled || settle({ok: false, error: bodyError(error, limits, declared)}));
    body.on('close', () => settled || settle({ok: false, error: bodyError(null, limits, declared)}));
  });
}

/** Why a body ended early: the guard's stop, a cut connection (with byte counts), or bad data. */
function bodyError(error: unknown, limits: BodyContext, declared: number | null): TransportError {
  const {guard, progress, url} = limits;
  if (guard.signal.aborted) return guard.failure(progress, url);
  const classified = error === null ? {kind: 'reset' as const, message: ''} : classifyNodeError(error);
  if (classified.kind !== 'reset') return transportError(classified.kind, classified.message, url);
  const arrived = formatCount(progress.wireBytes);
  const message =
    declared !== null
      ? `connection closed after ${arrived} of ${formatCount(declared)} bytes`
      : `connection closed mid-body after ${arrived} bytes`;
  return transportError('reset', message, url);
}

export interface OpenStream {
  body: AsyncIterable<Uint8Array>;
  close(): void;
  endError(): TransportError | null;
}

/**
 * Hand a response body out chunk by chunk as it arrives, decoded. No size cap and no time
 * limit: it ends when the server ends it, the connection breaks, the guard's caller signal
 * aborts, or `close()` is called. `onEnd` runs once, whichever it was.
 */
export function streamBody(exchange: Exchange, limits: BodyContext, onEnd: () => void): Result<OpenStream> {
  const {req, res} = exchange;
  const {guard, progress, url} = limits;
  const decoded = decodedBody(res);
  if (!decoded.ok) {
    req.destroy();
    onEnd();
    return {ok: false, error: transportError('decode', decoded.message, url)};
  }
  const source: Readable = decoded.body;
  let closedByCaller = false;
  let failure: TransportError | null = null;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    guard.signal.removeEventListener('abort', stop);
    if (!res.complete) req.destroy();
    source.destroy();
    onEnd();
  };
  const stop = () => {
    failure ??= guard.failure(progress, url);
    finish();
  };
  guard.signal.addEventListener('abort', stop, {once: true});
  // Errors are taken from the iteration below; this keeps an idle stream from throwing.
  source.on('error', () => {});

  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of source) {
        progress.wireBytes += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    } catch (error) {
      if (!closedByCaller && failure === null) failure = bodyError(error, limits, null);
    } finally {
      finish();
    }
  }

  return {
    ok: true,
    value: {
      body: chunks(),
      close() {
        closedByCaller = true;
        finish();
      },
      endError: () => failure,
    },
  };
}
