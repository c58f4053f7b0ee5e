import type {DialectName, Target} from '../model/target.js';
import {envoy} from './envoy/index.js';
import {linkerd} from './linkerd/index.js';
import type {Dialect} from './types.js';

export const DIALECT_LIST: readonly Dialect[] = [linkerd, envoy];

export function dialectByName(name: DialectName): Dialect {
  return name === 'linkerd' ? linkerd : envoy;
}

/** Conventional admin/metrics ports of each family, used before a proxy has been read. */
const PORT_HINTS: Record<string, DialectName> = {
  '4191': 'linkerd',
  '15000': 'envoy',
  '15020': 'envoy',
  '15090': 'envoy',
  '9901': 'envoy',
  '19000': 'envoy',
  '20200': 'envoy',
};

export function guessDialect(target: Target): Dialect | null {
  if (target.dialect) return dialectByName(target.dialect);
  const url = new URL(target.url);
  if (url.pathname.startsWith('/stats')) return envoy;
  const hint = PORT_HINTS[url.port];
  return hint ? dialectByName(hint) : null;
}

/** Keep whatever any family maps, for bodies whose family is not known yet. */
export function keepAny(name: string): boolean {
  return DIALECT_LIST.some((d) => d.keep(name));
}
