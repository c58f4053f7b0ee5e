import type {TransportError, TransportErrorKind} from './types.js';
import {oneLine} from './format.js';

/** Build a TransportError; the message is forced onto one sanitized line. */
export function transportError(
  kind: TransportErrorKind,
  message: string,
  url: string,
  status?: number,
): TransportError {
  const error: TransportError = {kind, message: oneLine(message), url};
  if (status !== undefined) error.status = status;
  return error;
}

export function failed(kind: TransportErrorKind, message: string, url: string, status?: number) {
  return {ok: false as const, error: transportError(kind, message, url, status)};
}

const SUMMARY: Record<TransportErrorKind, string> = {
  refused: 'unreachable',
  dns: 'unknown host',
  timeout: 'timed out',
  deadline: 'out of time',
  reset: 'connection lost',
  status: 'HTTP error',
  'too-large': 'too large',
  decode: 'bad response',
  redirect: 'redirect',
  aborted: 'cancelled',
  tls: 'TLS error',
  other: 'request failed',
};

/** Kinds whose messages already say what happened (`HTTP 500: …`, `redirect loop: …`). */
const SELF_DESCRIBING = new Set<TransportErrorKind>(['status', 'redirect']);

/** The uniform `<summary>: <message>` line a command prints for one failed proxy. */
export function describeTransportError(error: TransportError): string {
  if (SELF_DESCRIBING.has(error.kind)) return error.message;
  return `${SUMMARY[error.kind]}: ${error.message}`;
}
