import type {Span} from '../model.js';
import {decodeJsonTraceRequest} from './decode-json.js';
import {decodeProtobufTraceRequest} from './decode-protobuf.js';
import type {DecodeResult} from './errors.js';
import type {OtlpEncoding} from './responses.js';

export {OtlpDecodeError, type DecodeResult} from './errors.js';

/** Decode one ExportTraceServiceRequest body; throws OtlpDecodeError when nothing is decodable. */
export function decodeTraceRequest(body: Uint8Array, encoding: OtlpEncoding): DecodeResult<Span> {
  return encoding === 'json' ? decodeJsonTraceRequest(body) : decodeProtobufTraceRequest(body);
}

/** The media types OTLP/HTTP allows, parameters (`; charset=utf-8`) ignored. */
export function encodingOfContentType(contentType: string | undefined): OtlpEncoding | undefined {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

/** A short summary of the rejections for a response or a log line: the first few, then a count. */
export function summarizeRejections(result: DecodeResult<unknown>, shown = 3): string {
  const head = result.errors.slice(0, shown).join('; ');
  const more = result.errors.length - shown;
  return more > 0 ? `${head}; and ${more} more` : head;
}
