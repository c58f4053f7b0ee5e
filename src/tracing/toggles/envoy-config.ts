import type {Parsed} from './runtime.js';
import {ALL, type Share} from './sampling.js';
import {isObject, tracerOf, type TracerConfig} from './envoy-tracer.js';

/** One HTTP connection manager's tracing, as its listener configures it. */
export interface ManagerTracing {
  /** The listener it belongs to. */
  listener: string;
  statPrefix: string | null;
  /** Whether it has a `tracing` block at all; without one it never traces. */
  traced: boolean;
  /** Its own `tracing.provider`; null when it has none (the bootstrap's then applies). */
  tracer: TracerConfig | null;
  /** `tracing.client_sampling`, `random_sampling`, `overall_sampling`, as Envoy applies them. */
  client: Share;
  random: Share;
  overall: Share;
}

export interface ListenerTracing {
  managers: ManagerTracing[];
  /** The answer held a whole ListenersConfigDump (an Envoy that ignores `?resource=`). */
  whole: boolean;
}

const HCM_TYPE = '.HttpConnectionManager';
const LISTENERS_DUMP = 'envoy.admin.v3.ListenersConfigDump';
const BOOTSTRAP_DUMP = 'envoy.admin.v3.BootstrapConfigDump';

/**
 * The connection managers in `GET /config_dump`'s listeners: static ones and the active state
 * of dynamic ones (warming and draining listeners serve no new requests), in every filter
 * chain and the default one. Accepts a whole dump, one masked to the listener fields, or the
 * per-listener entries `?resource=` gives.
 */
export function parseListenerTracing(json: unknown): Parsed<ListenerTracing> {
  const configs = configsOf(json);
  if (!configs.ok) return configs;
  const managers: ManagerTracing[] = [];
  let sawListeners = false;
  let whole = false;
  for (const config of configs.value) {
    const type = typeOf(config);
    if (type === LISTENERS_DUMP) {
      sawListeners = whole = true;
      for (const entry of list(config.static_listeners)) managers.push(...managersOf(object(entry).listener));
      for (const entry of list(config.dynamic_listeners)) managers.push(...managersOf(object(object(entry).active_state).listener));
    } else if (type === `${LISTENERS_DUMP}.StaticListener`) {
      sawListeners = true;
      managers.push(...managersOf(config.listener));
    } else if (type === `${LISTENERS_DUMP}.DynamicListener`) {
      sawListeners = true;
      managers.push(...managersOf(object(config.active_state).listener));
    }
  }
  // `?resource=` on a proxy without listeners of that kind gives an empty list.
  if (!sawListeners && configs.value.length > 0) return bad('no ListenersConfigDump in it');
  return {ok: true, value: {managers, whole}};
}

/**
 * The bootstrap's `tracing.http` provider, which a connection manager without a provider of
 * its own falls back to (HttpConnectionManagerConfig::getPerFilterTracerConfig). null when
 * the bootstrap has none.
 */
export function parseBootstrapTracer(json: unknown): Parsed<TracerConfig | null> {
  const configs = configsOf(json);
  if (!configs.ok) return configs;
  const dump = configs.value.find((c) => typeOf(c) === BOOTSTRAP_DUMP);
  if (!dump) return bad('no BootstrapConfigDump in it');
  return {ok: true, value: tracerOf(object(object(dump.bootstrap).tracing).http)};
}

function configsOf(json: unknown): Parsed<Record<string, unknown>[]> {
  if (!isObject(json)) return bad('not a JSON object');
  if (!Array.isArray(json.configs)) return bad('no "configs" list');
  return {ok: true, value: json.configs.filter(isObject)};
}

function bad(why: string): {ok: false; message: string} {
  return {ok: false, message: `unexpected /config_dump answer: ${why}`};
}

function typeOf(config: Record<string, unknown>): string {
  return typeof config['@type'] === 'string' ? config['@type'].replace(/^.*\//, '') : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function object(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function managersOf(listenerJson: unknown): ManagerTracing[] {
  if (!isObject(listenerJson)) return [];
  const listener = typeof listenerJson.name === 'string' ? listenerJson.name : '';
  const chains = [...list(listenerJson.filter_chains), listenerJson.default_filter_chain];
  const managers: ManagerTracing[] = [];
  for (const chain of chains) {
    for (const filter of list(object(chain).filters)) {
      const typed = object(object(filter).typed_config);
      if (typeof typed['@type'] === 'string' && typed['@type'].endsWith(HCM_TYPE)) managers.push(managerOf(listener, typed));
    }
  }
  return managers;
}

function managerOf(listener: string, hcm: Record<string, unknown>): ManagerTracing {
  const statPrefix = typeof hcm.stat_prefix === 'string' ? hcm.stat_prefix : null;
  if (!isObject(hcm.tracing)) return {listener, statPrefix, traced: false, tracer: null, client: 0, random: 0, overall: 0};
  const tracing = hcm.tracing;
  return {
    listener,
    statPrefix,
    traced: true,
    tracer: tracerOf(tracing.provider),
    // Envoy turns client_sampling into {int(value), HUNDRED} and the other two into
    // {round(value * 100), TEN_THOUSAND} (tracer_config_impl.h); an absent field means 100 %.
    client: percentShare(tracing.client_sampling, (value) => Math.floor(value) * 10_000),
    random: percentShare(tracing.random_sampling, (value) => Math.round(value * 100) * 100),
    overall: percentShare(tracing.overall_sampling, (value) => Math.round(value * 100) * 100),
  };
}

/** An envoy.type.v3.Percent (`{"value": 1}`; `{}` is 0, the default value being left out). */
function percentShare(percent: unknown, toShare: (value: number) => Share): Share {
  if (!isObject(percent)) return ALL;
  const value = typeof percent.value === 'number' && Number.isFinite(percent.value) ? percent.value : 0;
  return Math.min(ALL, Math.max(0, toShare(value)));
}
