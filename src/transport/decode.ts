import type {IncomingMessage} from 'node:http';
import {pipeline, type Readable} from 'node:stream';
import {createBrotliDecompress, createGunzip, createInflate} from 'node:zlib';

export type Decoded = {ok: true; body: Readable; compressed: boolean} | {ok: false; message: string};

// Decoded output comes in steps of this size: fewer thread-pool round trips than zlib's
// 16 KiB default (twice the gzip throughput), and still a small overshoot past a size cap.
const OUTPUT_STEP = 64 * 1024;

/**
 * The response body as decoded bytes. Compressed bodies are inflated as they stream, one
 * OUTPUT_STEP at a time, so a size cap on the decoded side stops a gzip bomb early.
 * Errors from the socket and from the decoder both surface on the returned stream.
 */
export function decodedBody(res: IncomingMessage): Decoded {
  const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return {ok: true, body: res, compressed: false};
  const decoder = decoderFor(encoding);
  if (decoder === null) return {ok: false, message: `unsupported content-encoding "${encoding}"`};
  // Errors are read from the decoder; the callback only keeps pipeline from throwing them.
  return {ok: true, body: pipeline(res, decoder, () => {}), compressed: true};
}

function decoderFor(encoding: string) {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({chunkSize: OUTPUT_STEP});
    case 'deflate':
      return createInflate({chunkSize: OUTPUT_STEP});
    case 'br':
      return createBrotliDecompress({chunkSize: OUTPUT_STEP});
    default:
      return null;
  }
}

/** Content-Length when present and sane, else null. */
export function declaredLength(res: IncomingMessage): number | null {
  const value = res.headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}
