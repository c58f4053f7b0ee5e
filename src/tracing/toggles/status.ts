import {envoyAdminBase} from '../../dialects/envoy/admin-url.js';
import type {TraceCollectorSettings} from '../../dialects/types.js';
import type {AdminClient} from '../../transport/types.js';
import {mapBounded} from '../../util/limit.js';
import {NO_ADMIN_URL, readRuntime, type Deadline} from './envoy-runtime.js';
import {linkerdTracing} from './linkerd-env.js';
import type {SelectedProxy} from './proxies.js';
import {tracingState, type TracingState} from './runtime.js';

/** One proxy's tracing settings, read from `/runtime` (Envoy) or `/env.json` (Linkerd). */
export interface StatusRow {
  proxy: SelectedProxy;
  envoy: TracingState | null;
  linkerd: TraceCollectorSettings | null;
  error: string | null;
}

export function readStatuses(client: AdminClient, proxies: readonly SelectedProxy[], options: Deadline & {concurrency: number}): Promise<StatusRow[]> {
  return mapBounded(proxies, options.concurrency, (proxy) => readStatus(client, proxy, options));
}

async function readStatus(client: AdminClient, proxy: SelectedProxy, limits: Deadline): Promise<StatusRow> {
  const row: StatusRow = {proxy, envoy: null, linkerd: null, error: proxy.failure};
  if (proxy.failure !== null) return row;
  if (proxy.family === 'linkerd') {
    const env = linkerdTracing(proxy);
    return env.ok ? {...row, linkerd: env.value} : {...row, error: env.message};
  }
  const admin = envoyAdminBase(proxy.target);
  if (admin === null) return {...row, error: NO_ADMIN_URL};
  const read = await readRuntime(client, admin, limits);
  return read.ok ? {...row, envoy: tracingState(read.value)} : {...row, error: read.message};
}

/**
 * Whether a proxy starts traces of its own:
 * - `on` / `off`: Envoy with an explicit rate (off = 0 % sampled, or the global switch at 0);
 *   Linkerd with / without a collector (it then traces only requests sampled upstream);
 * - `default`: Envoy with no runtime value, so its bootstrap's connection manager decides;
 * - `n-a`: not known (the proxy could not be read).
 */
export type TracingMode = 'on' | 'off' | 'default' | 'n-a';

export function tracingMode(row: StatusRow): TracingMode {
  if (row.linkerd) return row.linkerd.collector ? 'on' : 'off';
  if (!row.envoy) return 'n-a';
  const {['tracing.random_sampling']: sampling, ['tracing.global_enabled']: global} = row.envoy;
  if (global.share === 0 || sampling.share === 0) return 'off';
  if (sampling.share === null) return 'default';
  return 'on';
}
