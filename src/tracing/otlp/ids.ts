import {OtlpDecodeError} from './errors.js';

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function isAllZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** A required id (span trace_id: 16 bytes, span_id: 8 bytes): present, right size, not all zero. */
export function requiredId(bytes: Uint8Array | undefined, size: number, field: string): string {
  if (bytes === undefined || bytes.length === 0) throw new OtlpDecodeError(`${field} is missing`);
  if (bytes.length !== size) throw new OtlpDecodeError(`${field} must be ${size} bytes, got ${bytes.length}`);
  if (isAllZero(bytes)) throw new OtlpDecodeError(`${field} is all zeros (invalid)`);
  return toHex(bytes);
}

/**
 * An optional id (parent_span_id, link ids): empty, or exactly `size` bytes. All zeros means
 * "none" here: some tracers send a zero parent for a root span.
 */
export function optionalId(bytes: Uint8Array | undefined, size: number, field: string): string {
  if (bytes === undefined || bytes.length === 0) return '';
  if (bytes.length !== size) throw new OtlpDecodeError(`${field} must be empty or ${size} bytes, got ${bytes.length}`);
  return isAllZero(bytes) ? '' : toHex(bytes);
}
