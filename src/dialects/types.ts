import type {ParsedMetrics} from '../metrics/types.js';
import type {Snapshot} from '../model/snapshot.js';
import type {DialectName, Target} from '../model/target.js';
import type {ProxyIdentity} from '../model/workload.js';
import type {AdminClient} from '../transport/types.js';

/** What a dialect learns about a proxy from its admin API (besides metrics). */
export interface ProxyInfo {
  identity: ProxyIdentity;
  version: string | null;
  /** Readiness as the proxy reports it; null when there is no way to ask. */
  ready: boolean | null;
  /** Things the user should know (e.g. "admin port not configured: identity from series"). */
  notes: string[];
}

export interface AdminContext {
  client: AdminClient;
  /** Also ask the proxy whether it is ready (an extra request; only `proxies` needs it). */
  checkReady: boolean;
  deadlineMs?: number;
  signal?: AbortSignal;
}

/**
 * One proxy family. Mapping is pure (`toSnapshot`); only `describe` talks to the proxy, and
 * only through the AdminClient. Everything above this interface is family-neutral.
 */
export interface Dialect {
  name: DialectName;
  /** Appended to a target URL that carries no path of its own. */
  metricsPath: string;
  /** Which metric names the mapping reads; the parser skips the rest. */
  keep(name: string): boolean;
  /** Whether parsed metrics look like this family's. */
  recognizes(metrics: ParsedMetrics): boolean;
  /** Identity, version and readiness from the admin API. Never throws; unknowns stay null. */
  describe(target: Target, metrics: ParsedMetrics, ctx: AdminContext): Promise<ProxyInfo>;
  /** Map parsed metrics to the normalized snapshot. */
  toSnapshot(metrics: ParsedMetrics, target: Target, info: ProxyInfo, scrapedAtMs: number): Snapshot;
}

/** Keep-predicate from name prefixes. */
export function prefixKeep(prefixes: readonly string[]): (name: string) => boolean {
  return (name) => prefixes.some((p) => name.startsWith(p));
}
