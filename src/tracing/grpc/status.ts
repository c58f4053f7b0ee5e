/**
 * gRPC's `grpc-message` is UTF-8, percent-encoded: every byte outside space..~ and `%` itself
 * becomes %XX (grpc/doc/PROTOCOL-HTTP2.md, Status-Message).
 */
export function percentEncode(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const TIMEOUT_UNIT_MS: Record<string, number> = {H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6};

/**
 * `grpc-timeout`: at most 8 digits and a unit (H, M, S, m, u, n), in milliseconds; undefined
 * when absent, NaN when malformed.
 */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  return match ? Number(match[1]) * TIMEOUT_UNIT_MS[match[2]] : NaN;
}
