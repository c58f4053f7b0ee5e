import {NONE} from '../../render/format.js';
import type {RecordValue} from '../../render/records.js';
import {effectiveRate, type ConfiguredTracing} from './configured-tracing.js';
import type {TracerConfig} from './envoy-tracer.js';
import type {TracingState} from './runtime.js';
import {ALL, formatShare, sharePercent, type Share} from './sampling.js';

/** `1%`, or `0%/100%` when the listeners differ; `-` when unknown. */
export function formatShares(shares: readonly Share[]): string {
  return shares.length === 0 ? NONE : shares.map(formatShare).join('/');
}

/**
 * The sampling an Envoy applies, in a few words: the random rate (the runtime value when set,
 * else the listeners' configured one, `default` when neither is known), plus the global and
 * client switches when they hold back part of the traces.
 */
export function describeSampling(state: TracingState | null, configured: ConfiguredTracing | null): string {
  if (!state) return NONE;
  const random = effectiveRate(state, 'tracing.random_sampling', configured);
  const parts = [random.shares.length > 0 ? formatShares(random.shares) : configured ? NONE : 'default'];
  for (const [key, label] of [['tracing.global_enabled', 'global'], ['tracing.client_enabled', 'client']] as const) {
    const {shares} = effectiveRate(state, key, configured);
    if (shares.length > 0 && shares.some((s) => s !== ALL)) parts.push(`${label} ${shares.every((s) => s === 0) ? 'off' : formatShares(shares)}`);
  }
  return parts.join(', ');
}

/** Where the random rate comes from: a runtime layer, the listeners, or (unknown) the bootstrap. */
export function describeSource(state: TracingState, configured: ConfiguredTracing | null): string {
  const random = effectiveRate(state, 'tracing.random_sampling', configured);
  if (random.source === 'runtime') return `runtime layer "${state['tracing.random_sampling'].layer}"`;
  if (random.source === 'listeners') return random.shares.length > 1 ? 'listeners (differ)' : 'listeners';
  return configured ? 'listeners' : 'bootstrap';
}

/** `http://127.0.0.1:4318/v1/traces (opentelemetry otlp/http, service books.booksapp)`. */
export function describeTracer(tracer: TracerConfig): string {
  const kind = [tracer.name.replace(/^envoy\.tracers\./, ''), tracer.protocol].filter(Boolean).join(' ');
  const details = [kind, tracer.serviceName ? `service ${tracer.serviceName}` : null, tracer.sampler ? `sampler ${tracer.sampler}` : null].filter(Boolean);
  return `${tracer.collector ?? '?'} (${details.join(', ')})`;
}

/** Every tracer the listeners use; `none` when the traced ones have none, `-` when unknown. */
export function describeTracers(configured: ConfiguredTracing | null): string {
  if (!configured) return NONE;
  const parts = configured.tracers.map(describeTracer);
  if (configured.tracerUnknown > 0) parts.push('bootstrap tracer (not read)');
  if (parts.length === 0) return 'none';
  if (configured.withoutTracer > 0) parts.push(`none on ${configured.withoutTracer} of ${configured.traced} traced listeners`);
  return parts.join('; ');
}

/** `1/2 traced`: connection managers with a tracing block out of all. */
export function describeManagers(configured: ConfiguredTracing | null): string {
  return configured ? `${configured.traced}/${configured.managers} traced` : NONE;
}

const single = (shares: readonly Share[]) => (shares.length === 1 ? sharePercent(shares[0]) : null);
const joined = (values: Array<string | null>) => (values.some((v) => v !== null) ? values.map((v) => v ?? '').join(', ') : null);

/**
 * Flat JSON fields for the listeners' configuration. A `configured_*_percent` is null when the
 * traced connection managers disagree (then `_min`/`_max` bound the random rate) or when none
 * is traced; several tracers are listed comma-separated.
 */
export function configuredFields(state: TracingState | null, configured: ConfiguredTracing | null, configError: string | null): Record<string, RecordValue> {
  const random = state ? effectiveRate(state, 'tracing.random_sampling', configured) : null;
  const tracers = configured?.tracers ?? [];
  return {
    sampling_percent: random ? single(random.shares) : null,
    sampling_source: random && random.source !== 'unknown' ? random.source : null,
    configured_random_sampling_percent: configured ? single(configured.random) : null,
    configured_random_sampling_percent_min: configured?.random.length ? sharePercent(configured.random[0]) : null,
    configured_random_sampling_percent_max: configured?.random.length ? sharePercent(configured.random.at(-1)!) : null,
    configured_client_sampling_percent: configured ? single(configured.client) : null,
    configured_overall_sampling_percent: configured ? single(configured.overall) : null,
    http_managers: configured?.managers ?? null,
    http_managers_traced: configured?.traced ?? null,
    http_managers_without_tracer: configured?.withoutTracer ?? null,
    tracer: joined(tracers.map((t) => t.name)),
    tracer_cluster: joined(tracers.map((t) => t.cluster)),
    tracer_sampler: joined(tracers.map((t) => t.sampler)),
    config_error: configError,
  };
}

/** Envoy collector fields in the shape Linkerd's use. */
export function envoyCollectorFields(configured: ConfiguredTracing | null): Record<string, RecordValue> {
  const tracers = configured?.tracers ?? [];
  return {
    collector_address: joined(tracers.map((t) => t.collector)),
    collector_protocol: joined(tracers.map((t) => t.protocol)),
    collector_service_name: joined(tracers.map((t) => t.serviceName)),
    collector_identity: null,
  };
}
