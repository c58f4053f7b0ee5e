import {envoyAdminBase} from '../../dialects/envoy/admin-url.js';
import type {TraceCollectorSettings} from '../../dialects/types.js';
import type {AdminClient} from '../../transport/types.js';
import {mapBounded} from '../../util/limit.js';
import {effectiveRate, type ConfiguredTracing} from './configured-tracing.js';
import {readConfiguredTracing} from './envoy-config-read.js';
import {NO_ADMIN_URL, readRuntime, type Deadline} from './envoy-runtime.js';
import {linkerdTracing} from './linkerd-env.js';
import type {SelectedProxy} from './proxies.js';
import {tracingState, type TracingState} from './runtime.js';

/** One proxy's tracing settings, read from `/runtime` and `/config_dump` (Envoy) or `/env.json` (Linkerd). */
export interface StatusRow {
  proxy: SelectedProxy;
  envoy: TracingState | null;
  /** Envoy: what its listeners configure; null when unknown (see configError). */
  configured: ConfiguredTracing | null;
  /** Envoy: why the listener configuration could not be read; the runtime values still stand. */
  configError: string | null;
  linkerd: TraceCollectorSettings | null;
  error: string | null;
}

export function readStatuses(client: AdminClient, proxies: readonly SelectedProxy[], options: Deadline & {concurrency: number}): Promise<StatusRow[]> {
  return mapBounded(proxies, options.concurrency, (proxy) => readStatus(client, proxy, options));
}

async function readStatus(client: AdminClient, proxy: SelectedProxy, limits: Deadline): Promise<StatusRow> {
  const row: StatusRow = {proxy, envoy: null, configured: null, configError: null, linkerd: null, error: proxy.failure};
  if (proxy.failure !== null) return row;
  if (proxy.family === 'linkerd') {
    const env = linkerdTracing(proxy);
    return env.ok ? {...row, linkerd: env.value} : {...row, error: env.message};
  }
  const admin = envoyAdminBase(proxy.target);
  if (admin === null) return {...row, error: NO_ADMIN_URL};
  const [read, config] = await Promise.all([readRuntime(client, admin, limits), readConfiguredTracing(client, admin, proxy.version, limits)]);
  if (!read.ok) return {...row, error: read.message};
  return {...row, envoy: tracingState(read.value), configured: config.ok ? config.value : null, configError: config.ok ? null : config.message};
}

/**
 * Whether a proxy starts traces of its own:
 * - `on` / `off`: Envoy sampling above 0 with a tracer to send spans to, or not (0 % sampled,
 *   the global switch at 0, no connection manager traced, or no tracer configured);
 *   Linkerd with / without a collector (it then traces only requests sampled upstream);
 * - `default`: Envoy with no runtime value and its listener configuration unknown;
 * - `n-a`: not known (the proxy could not be read).
 */
export type TracingMode = 'on' | 'off' | 'default' | 'n-a';

export function tracingMode(row: StatusRow): TracingMode {
  if (row.linkerd) return row.linkerd.collector ? 'on' : 'off';
  if (!row.envoy) return 'n-a';
  const configured = row.configured;
  if (configured && (configured.traced === 0 || (configured.tracers.length === 0 && configured.tracerUnknown === 0))) return 'off';
  const allZero = (shares: number[]) => shares.length > 0 && shares.every((s) => s === 0);
  const sampling = effectiveRate(row.envoy, 'tracing.random_sampling', configured);
  if (allZero(effectiveRate(row.envoy, 'tracing.global_enabled', configured).shares) || allZero(sampling.shares)) return 'off';
  return sampling.source === 'unknown' ? 'default' : 'on';
}
