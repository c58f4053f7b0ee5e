/**
 * A payload that cannot be decoded. `path` names where, outermost first, e.g.
 * `resource_spans[0].scope_spans[1].spans[3].attributes[2]`; it is filled in as the error
 * travels up through the decoders, so the hot path never builds it.
 */
export class OtlpDecodeError extends Error {
  readonly path: string[] = [];

  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OtlpDecodeError';
  }
}

/** Add one path step (`spans[3]`, `attributes`) in front of a decode error and rethrow it. */
export function within(error: unknown, step: string): never {
  if (error instanceof OtlpDecodeError) {
    error.path.unshift(step);
    error.message = `${error.path.join('.').replace(/\.\[/g, '[')}: ${error.reason}`;
  }
  throw error;
}

/** Outcome of decoding one export request: what was accepted and what was rejected, and why. */
export interface DecodeResult<T> {
  spans: T[];
  /** Spans that were present but could not be accepted (partial success). */
  rejectedSpans: number;
  /** One line per rejection, in payload order. */
  errors: string[];
}
