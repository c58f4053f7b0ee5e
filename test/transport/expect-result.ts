import {expect} from 'vitest';
import type {Result, TransportError, TransportErrorKind} from '../../src/transport/types.js';

/** Assert a Result failed with the given kind, and return its error for further checks. */
export function expectFailure<T>(result: Result<T>, kind: TransportErrorKind): TransportError {
  if (result.ok) throw new Error(`expected a ${kind} error, got success`);
  expect(result.error.kind, result.error.message).toBe(kind);
  expectOneCleanLine(result.error.message);
  return result.error;
}

/** Assert a Result succeeded and return its value. */
export function expectSuccess<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result.value;
}

/** Messages reach terminals: one line, no control characters, no stack frames. */
export function expectOneCleanLine(message: string): void {
  // eslint-disable-next-line no-control-regex
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  expect(message).not.toMatch(/\n|\s+at\s+\S+\s+\(/);
  expect(message.length).toBeGreaterThan(0);
}

/** Milliseconds a promise took to settle, with its value. */
export async function timed<T>(work: () => Promise<T>): Promise<{value: T; ms: number}> {
  const start = performance.now();
  const value = await work();
  return {value, ms: performance.now() - start};
}
