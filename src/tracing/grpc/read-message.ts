import type {ServerHttp2Stream} from 'node:http2';
import {promisify} from 'node:util';
import {gunzip} from 'node:zlib';
import {formatBytes} from '../../util/bytes.js';
import {RPC_CODE} from '../otlp/responses.js';
import {CallError, UnaryMessageReader} from './framing.js';

const gunzipAsync = promisify(gunzip);

export interface ReadLimits {
  maxBytes: number;
  /** The call's grpc-encoding: identity or gzip (others are refused before reading). */
  encoding: 'identity' | 'gzip';
  /** How long the client may take to send its request. */
  deadlineMs: number;
}

/**
 * Read a unary call's request message and decompress it. Rejects with a CallError as soon as
 * the framing is wrong or the message is too large (without reading the rest), when the
 * deadline passes (DEADLINE_EXCEEDED) or when the client goes away (CANCELLED).
 */
export async function readRequestMessage(stream: ServerHttp2Stream, limits: ReadLimits): Promise<Buffer> {
  const message = await new Promise<ReturnType<UnaryMessageReader['finish']>>((resolve, reject) => {
    const reader = new UnaryMessageReader(limits.maxBytes, limits.encoding !== 'identity');
    const timer = setTimeout(() => settle(new CallError(RPC_CODE.DEADLINE_EXCEEDED, `the request was not complete within ${Math.round(limits.deadlineMs)}ms`)), limits.deadlineMs);
    const onData = (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        settle(error as CallError);
      }
    };
    const onEnd = () => {
      try {
        settle(undefined, reader.finish());
      } catch (error) {
        settle(error as CallError);
      }
    };
    const onGone = () => settle(new CallError(RPC_CODE.CANCELLED, 'the client cancelled the call before its request was complete'));
    const settle = (error: CallError | undefined, value?: ReturnType<UnaryMessageReader['finish']>) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('aborted', onGone);
      stream.off('close', onGone);
      if (error) reject(error);
      else resolve(value!);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('aborted', onGone);
    stream.on('close', onGone);
  });
  if (!message.compressed) return message.payload;
  try {
    return await gunzipAsync(message.payload, {maxOutputLength: limits.maxBytes});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CallError(RPC_CODE.RESOURCE_EXHAUSTED, `message larger than ${formatBytes(limits.maxBytes)} after gzip decompression`);
    }
    throw new CallError(RPC_CODE.INTERNAL, `the message is not valid gzip: ${(error as Error).message}`);
  }
}
