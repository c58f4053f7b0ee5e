/**
 * Whether a host name is this machine: `localhost`, 127.0.0.0/8, `::1`, or an IPv4-mapped
 * 127 address. Bracketed IPv6 (`[::1]`, as URL.hostname gives it) does not match.
 */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  return lower === 'localhost' || lower === '::1' || /^127\.\d+\.\d+\.\d+$/.test(lower) || /^::ffff:127\./.test(lower);
}
