import type {ParsedMetrics} from '../metrics/types.js';
import type {Snapshot} from '../model/snapshot.js';
import type {DialectName, Target} from '../model/target.js';
import type {TrafficEvent} from '../model/traffic.js';
import type {ProxyIdentity} from '../model/workload.js';
import type {UserError} from '../errors.js';
import type {AdminClient} from '../transport/types.js';
import type {TapFilter} from '../views/tap-filter.js';

/** What a dialect learns about a proxy from its admin API (besides metrics). */
/** Trace collector settings a proxy was started with (Linkerd: from `/env.json`). */
export interface TraceCollectorSettings {
  collector: string | null;
  protocol: string | null;
  serviceName: string | null;
  collectorIdentity: string | null;
}

export interface ProxyInfo {
  identity: ProxyIdentity;
  version: string | null;
  /** Readiness as the proxy reports it; null when there is no way to ask. */
  ready: boolean | null;
  /** Things the user should know (e.g. "admin port not configured: identity from series"). */
  notes: string[];
  /**
   * Collector settings read while describing the proxy, for families that expose them, or why
   * they could not be read. Absent for families that do not.
   */
  traceCollector?: {ok: true; value: TraceCollectorSettings} | {ok: false; message: string};
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
  /**
   * Live requests from one proxy. A family that cannot be tapped answers with an
   * UnsupportedError that says what the user can do instead.
   */
  tap?(request: TapRequestContext): Promise<TapOpenResult>;
}

/** What opening a tap on one proxy needs. Events and warnings are pushed as they arrive. */
export interface TapRequestContext {
  target: Target;
  info: ProxyInfo;
  /** Position of the proxy in this run; the first half of every event id. */
  proxyIndex: number;
  filter: TapFilter;
  /** Envoy: the `config_id` the tap filter registered. */
  configId: string;
  client: AdminClient;
  /** Aborting it closes the stream. */
  signal: AbortSignal;
  onEvents(events: TrafficEvent[]): void;
  /** A problem with part of the stream (a trace that could not be read); the stream goes on. */
  onWarning(message: string): void;
}

export type TapOpenResult = {ok: true; stream: OpenTap} | {ok: false; error: UserError};

export interface OpenTap {
  /** Settles when the stream ends: null when meshctl closed it, else why the proxy's stream ended. */
  ended: Promise<string | null>;
  close(): void;
}

/** Keep-predicate from name prefixes. */
export function prefixKeep(prefixes: readonly string[]): (name: string) => boolean {
  return (name) => prefixes.some((p) => name.startsWith(p));
}
