import type {TransportErrorKind} from './types.js';

/** What Node's socket, parser, TLS and zlib errors mean to someone reading a proxy. */
export interface Classified {
  kind: TransportErrorKind;
  message: string;
}

interface NodeError {
  code?: string;
  message?: string;
  hostname?: string;
}

const REFUSED: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host is down',
  EADDRNOTAVAIL: 'address not available',
};

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL']);

/** The server's certificate chain does not lead to a trusted CA. */
const UNTRUSTED_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'EPROTO',
]);

/**
 * Classify an error Node raised while talking to a proxy. A reset mid-body is worded by the
 * body reader instead, which knows how many bytes arrived.
 */
export function classifyNodeError(error: unknown): Classified {
  const e = (typeof error === 'object' && error !== null ? error : {message: String(error)}) as NodeError;
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  if (code in REFUSED) return {kind: 'refused', message: REFUSED[code]};
  if (DNS.has(code)) {
    const host = e.hostname ? `"${e.hostname}" ` : '';
    return {kind: 'dns', message: code === 'EAI_AGAIN' ? `name lookup for ${host}failed for now` : `host ${host}not found`};
  }
  if (code === 'ETIMEDOUT') return {kind: 'timeout', message: 'connection timed out'};
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return {kind: 'reset', message: message === 'socket hang up' ? 'connection closed before a response' : 'connection reset'};
  }
  if (code.startsWith('HPE_')) return {kind: 'decode', message: `malformed HTTP response (${message})`};
  if (code.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
    return {kind: 'decode', message: `invalid compressed body (${message})`};
  }
  if (UNTRUSTED_CODES.has(code)) return {kind: 'tls', message: `${message} (trust its CA with --certificate-authority FILE)`};
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return {kind: 'tls', message: `${message.replace(/\.$/, '')} (the certificate is not for this address)`};
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || CERTIFICATE_CODES.has(code)) {
    return {kind: 'tls', message: tlsMessage(message)};
  }
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return {kind: 'other', message: `invalid request header (${message})`};
  }
  return {kind: 'other', message};
}

/** OpenSSL messages carry a file path and error numbers; keep only the reason. */
function tlsMessage(message: string): string {
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
  if (reason === undefined) return message;
  if (reason === 'wrong version number' || reason === 'packet length too long') {
    return `${reason} (is the endpoint plain HTTP? try http://)`;
  }
  return reason;
}
