import {isIP} from 'node:net';

const MAPPED_DOTTED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/;
const MAPPED_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * One spelling per IP, so addresses from traces and IPs from node ids compare equal:
 * IPv6 lower-case and compressed (`FD00:0:0::1` → `fd00::1`), IPv4-mapped IPv6
 * (`::ffff:10.1.2.3`, as a dual-stack listener reports an IPv4 peer) as plain IPv4.
 * Null when the text is not an IP literal.
 */
export function canonicalIp(text: string): string | null {
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6) return null;
  const lower = text.toLowerCase();
  const dotted = MAPPED_DOTTED.exec(lower);
  if (dotted && isIP(dotted[1]) === 4) return dotted[1];
  const compressed = compressIpv6(lower);
  const hex = MAPPED_HEX.exec(compressed);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return compressed;
}

/** WHATWG URL parsing writes IPv6 hosts in RFC 5952 form; a zone id (`%eth0`) it refuses is kept as given. */
function compressIpv6(lower: string): string {
  try {
    return new URL(`http://[${lower}]/`).hostname.slice(1, -1);
  } catch {
    return lower;
  }
}

/**
 * The host of `host:port`, `[v6]:port`, `[v6]` or a bare host or IP, as socket addresses and
 * HTTP authorities write them; a bare IPv6 literal is taken whole, never as `host:port`.
 */
export function hostOfAddress(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(address);
  if (bracketed) return bracketed[1];
  const withPort = /^([^:]*):\d*$/.exec(address);
  return withPort ? withPort[1] : address;
}

/**
 * The IP in a socket address as traces show it (`10.1.2.3:8080`, `[fd00::1]:80`, or a bare
 * IP); null for anything else (a pipe path, an internal listener, a host name).
 */
export function ipOfAddress(address: string): string | null {
  return canonicalIp(hostOfAddress(address));
}
