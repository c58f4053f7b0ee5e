import type {IncomingMessage} from 'node:http';
import {createGunzip, type Gunzip} from 'node:zlib';
import {formatBytes} from '../util/bytes.js';

/** Why a request body could not be read. `status` is the HTTP status to answer with. */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 415,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** After the cap is hit, at most this much more is read and thrown away before answering. */
const DRAIN_LIMIT = 32 * 1024 * 1024;

/**
 * Read a request body, gunzipping when `Content-Encoding: gzip`, and stop once more than
 * `maxBytes` arrive (counted after decompression, so a small gzip bomb is caught too).
 *
 * An oversized body is drained (up to DRAIN_LIMIT) before the 413 goes out: a client still
 * writing when the socket closes would see a reset instead of the answer. `drained()` on
 * the error tells the caller whether the connection is still usable.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== '') {
    return Promise.reject(new BodyError(`unsupported Content-Encoding "${encoding}" (send gzip or none)`, 415));
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + DRAIN_LIMIT) {
    return Promise.reject(tooLarge(maxBytes));
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let rawSize = 0;
    let settled = false;
    let gunzip: Gunzip | undefined;

    const finish = (error: BodyError | undefined) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const overflow = () => {
      // Stop keeping data; let the raw body run out so the 413 can be read by the client.
      chunks.length = 0;
      if (gunzip) {
        req.unpipe(gunzip);
        gunzip.destroy();
        req.resume();
      }
      if (req.complete) finish(tooLarge(maxBytes));
    };
    const collect = (chunk: Buffer) => {
      if (size > maxBytes) return;
      size += chunk.length;
      if (size > maxBytes) overflow();
      else chunks.push(chunk);
    };

    req.on('data', (chunk: Buffer) => {
      rawSize += chunk.length;
      if (rawSize > maxBytes + DRAIN_LIMIT) {
        finish(tooLarge(maxBytes));
        req.destroy();
      } else if (!gunzip) collect(chunk);
    });
    req.on('end', () => {
      if (size > maxBytes) finish(tooLarge(maxBytes));
      else if (!gunzip) finish(undefined);
    });
    req.on('error', () => finish(new BodyError('the client closed the connection before the body was complete', 400)));

    if (encoding === 'gzip') {
      gunzip = createGunzip();
      gunzip.on('data', collect);
      gunzip.on('end', () => {
        if (size <= maxBytes) finish(undefined);
      });
      gunzip.on('error', (error) => {
        if (size > maxBytes) return;
        finish(new BodyError(`invalid gzip body: ${error.message}`, 400));
        req.resume();
      });
      req.pipe(gunzip);
    }
  });
}

function tooLarge(maxBytes: number): BodyError {
  return new BodyError(`body larger than ${formatBytes(maxBytes)} (after decompression)`, 413);
}

