import {errorMessage} from '../errors.js';
import type {Span} from './model.js';
import {decodeTraceRequest, OtlpDecodeError, summarizeRejections, type DecodeResult} from './otlp/decode.js';
import {RPC_CODE, type OtlpEncoding, type RpcCode} from './otlp/responses.js';

/** One accepted export request, whichever transport brought it. */
export interface ReceivedBatch {
  client: string;
  encoding: OtlpEncoding;
  /** The payload after decompression: the raw ExportTraceServiceRequest. */
  body: Uint8Array;
  result: DecodeResult<Span>;
}

/** Something a client should be told about: a refused request or rejected spans. */
export interface ReceiverProblem {
  client: string;
  /** The HTTP status (413) or the gRPC status name (RESOURCE_EXHAUSTED) the client was given. */
  status: number | string;
  /** The whole request was refused; false for a partial success (some spans rejected). */
  refused: boolean;
  message: string;
}

/** What both receivers (OTLP/HTTP and OTLP/gRPC) are started with. */
export interface ReceiverOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  /**
   * Called for every request with at least one accepted span (or none at all), and awaited
   * before the client is answered, so a success means the spans were handled. If it throws,
   * the client is told to retry (HTTP 503, gRPC UNAVAILABLE).
   */
  onBatch(batch: ReceivedBatch): void | Promise<void>;
  onProblem(problem: ReceiverProblem): void;
}

export type IntakeOutcome =
  /** `warning` is non-empty when spans were rejected: the partial_success error_message. */
  | {accepted: true; rejectedSpans: number; warning: string}
  | {accepted: false; code: RpcCode; message: string};

/**
 * Decode one export request's payload and hand the spans on: the part of a request that does
 * not depend on the transport. Undecodable payloads and all-rejected requests are refused as
 * INVALID_ARGUMENT (not retryable); a failing `onBatch` as UNAVAILABLE (retryable).
 */
export async function acceptPayload(
  client: string,
  body: Uint8Array,
  encoding: OtlpEncoding,
  onBatch: ReceiverOptions['onBatch'],
): Promise<IntakeOutcome> {
  let result: DecodeResult<Span>;
  try {
    result = decodeTraceRequest(body, encoding);
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return {accepted: false, code: RPC_CODE.INVALID_ARGUMENT, message: `bad ${encoding === 'json' ? 'OTLP/JSON' : 'OTLP protobuf'}: ${error.message}`};
  }
  if (result.spans.length === 0 && result.rejectedSpans > 0) {
    return {accepted: false, code: RPC_CODE.INVALID_ARGUMENT, message: `all ${result.rejectedSpans} spans rejected: ${summarizeRejections(result)}`};
  }
  try {
    await onBatch({client, encoding, body, result});
  } catch (error) {
    return {accepted: false, code: RPC_CODE.UNAVAILABLE, message: `could not store the batch: ${errorMessage(error)}`};
  }
  const warning =
    result.rejectedSpans > 0 ? `rejected ${result.rejectedSpans} of ${result.rejectedSpans + result.spans.length} spans: ${summarizeRejections(result)}` : '';
  return {accepted: true, rejectedSpans: result.rejectedSpans, warning};
}
