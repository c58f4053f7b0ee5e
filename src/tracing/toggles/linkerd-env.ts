import type {TraceCollectorSettings} from '../../dialects/types.js';
import type {SelectedProxy} from './proxies.js';
import type {Parsed} from './runtime.js';

/**
 * The trace collector a linkerd2-proxy was started with. Its `/env.json` was read once already,
 * when the proxy was identified; this is what that read found.
 */
export function linkerdTracing(proxy: SelectedProxy): Parsed<TraceCollectorSettings> {
  return proxy.traceCollector ?? {ok: false, message: 'collector settings unknown'};
}
