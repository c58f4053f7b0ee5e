import type {TraceCollectorSettings} from '../../dialects/types.js';
import type {RecordValue} from '../../render/records.js';
import type {SelectedProxy} from './proxies.js';
import {TRACING_KEYS, type TracingState} from './runtime.js';
import {sharePercent} from './sampling.js';

/** `10.0.0.9:4317 (opentelemetry, service books)`, or `none`. */
export function describeCollector(config: TraceCollectorSettings): string {
  if (!config.collector) return 'none';
  const details = [config.protocol, config.serviceName ? `service ${config.serviceName}` : null].filter(Boolean);
  return details.length > 0 ? `${config.collector} (${details.join(', ')})` : config.collector;
}

const FIELD: Record<(typeof TRACING_KEYS)[number], string> = {
  'tracing.random_sampling': 'random_sampling',
  'tracing.global_enabled': 'global_enabled',
  'tracing.client_enabled': 'client_enabled',
};

/**
 * Flat JSON fields for the three keys: `<key>_percent<suffix>` (the rate the proxy applies,
 * null when its bootstrap default applies or it is unknown), `<key>_raw<suffix>` (the runtime
 * value as Envoy shows it) and `<key>_layer<suffix>` (the layer it comes from).
 */
export function stateFields(state: TracingState | null, suffix = ''): Record<string, RecordValue> {
  const fields: Record<string, RecordValue> = {};
  for (const key of TRACING_KEYS) {
    const entry = state?.[key];
    fields[`${FIELD[key]}_percent${suffix}`] = entry?.share == null ? null : sharePercent(entry.share);
    fields[`${FIELD[key]}_raw${suffix}`] = entry?.raw ?? null;
    fields[`${FIELD[key]}_layer${suffix}`] = entry?.layer ?? null;
  }
  return fields;
}

export function collectorFields(config: TraceCollectorSettings | null): Record<string, RecordValue> {
  return {
    collector_address: config?.collector ?? null,
    collector_protocol: config?.protocol ?? null,
    collector_service_name: config?.serviceName ?? null,
    collector_identity: config?.collectorIdentity ?? null,
  };
}

/** Which proxy a record is about. */
export function proxyFields(proxy: SelectedProxy): Record<string, RecordValue> {
  return {
    proxy: proxy.target.name,
    url: proxy.target.adminUrl ?? proxy.target.url,
    family: proxy.family,
    workload: proxy.workload.name,
    namespace: proxy.workload.namespace,
  };
}
