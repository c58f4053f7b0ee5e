/**
 * Headers as an ordered list of [lowercase name, value] pairs: proxies keep the order headers
 * arrived in (tap output shows it), which a plain object would lose.
 */
export type HeaderList = Array<[string, string]>;

/** Connection-scoped headers a proxy never forwards (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export function fromRaw(raw: readonly string[]): HeaderList {
  const list: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i].toLowerCase(), raw[i + 1]]);
  return list;
}

export function withoutHopByHop(list: HeaderList): HeaderList {
  return list.filter(([name]) => !HOP_BY_HOP.has(name));
}

export function getHeader(list: HeaderList, name: string): string | undefined {
  return list.find(([n]) => n === name)?.[1];
}

export function setHeader(list: HeaderList, name: string, value: string): void {
  deleteHeader(list, name);
  list.push([name, value]);
}

export function deleteHeader(list: HeaderList, name: string): void {
  for (let i = list.length - 1; i >= 0; i--) if (list[i][0] === name) list.splice(i, 1);
}

/** Flat `[name, value, name, value]` form that Node's http accepts and keeps in order. */
export function flat(list: HeaderList): string[] {
  const out: string[] = [];
  for (const [name, value] of list) out.push(name, value);
  return out;
}
