import type {ManagerTracing} from './envoy-config.js';
import type {TracerConfig} from './envoy-tracer.js';
import type {KeyState, TracingState} from './runtime.js';
import type {Share} from './sampling.js';

/** What an Envoy's listeners configure for tracing, summed up over its connection managers. */
export interface ConfiguredTracing {
  /** HTTP connection managers found, and how many of them have a tracing block. */
  managers: number;
  traced: number;
  /** The distinct tracers the traced managers use: their own provider, else the bootstrap's. */
  tracers: TracerConfig[];
  /** Traced managers with no tracer: they make sampling decisions but send spans nowhere. */
  withoutTracer: number;
  /** Traced managers whose tracer is unknown (their own is absent and the bootstrap was not read). */
  tracerUnknown: number;
  /** The distinct configured rates over the traced managers, lowest first. */
  random: Share[];
  client: Share[];
  overall: Share[];
}

/**
 * Sum up the connection managers. `bootstrapTracer` is the bootstrap's provider, which a
 * manager without one of its own uses; undefined when it was not read.
 */
export function summarizeTracing(managers: readonly ManagerTracing[], bootstrapTracer: TracerConfig | null | undefined): ConfiguredTracing {
  const traced = managers.filter((m) => m.traced);
  const tracers = new Map<string, TracerConfig>();
  let withoutTracer = 0;
  let tracerUnknown = 0;
  for (const manager of traced) {
    const tracer = manager.tracer ?? bootstrapTracer;
    if (tracer === undefined) tracerUnknown++;
    else if (tracer === null) withoutTracer++;
    else tracers.set(JSON.stringify(tracer), tracer);
  }
  const distinct = (pick: (m: ManagerTracing) => Share) => [...new Set(traced.map(pick))].sort((a, b) => a - b);
  return {
    managers: managers.length,
    traced: traced.length,
    tracers: [...tracers.values()],
    withoutTracer,
    tracerUnknown,
    random: distinct((m) => m.random),
    client: distinct((m) => m.client),
    overall: distinct((m) => m.overall),
  };
}

/** Whether some traced manager relies on the bootstrap's tracer. */
export function needsBootstrapTracer(managers: readonly ManagerTracing[]): boolean {
  return managers.some((m) => m.traced && m.tracer === null);
}

/** A rate as the proxy applies it: a runtime value wins over every manager's configured one. */
export interface EffectiveRate {
  /** One value when they all agree; several when the listeners differ; none when unknown. */
  shares: Share[];
  source: 'runtime' | 'listeners' | 'unknown';
}

const CONFIGURED: Record<'tracing.random_sampling' | 'tracing.global_enabled' | 'tracing.client_enabled', keyof Pick<ConfiguredTracing, 'random' | 'overall' | 'client'>> = {
  'tracing.random_sampling': 'random',
  'tracing.global_enabled': 'overall',
  'tracing.client_enabled': 'client',
};

export function effectiveRate(state: TracingState, key: keyof typeof CONFIGURED, configured: ConfiguredTracing | null): EffectiveRate {
  const runtime: KeyState = state[key];
  if (runtime.share !== null) return {shares: [runtime.share], source: 'runtime'};
  if (configured === null || configured.traced === 0) return {shares: [], source: 'unknown'};
  return {shares: configured[CONFIGURED[key]], source: 'listeners'};
}
