import {shareOfRuntimeValue, type Share} from './sampling.js';

/** The runtime keys Envoy's connection managers consult before tracing a request. */
export const TRACING_KEYS = ['tracing.random_sampling', 'tracing.global_enabled', 'tracing.client_enabled'] as const;
export type TracingKey = (typeof TRACING_KEYS)[number];

/** Envoy's `/runtime` answer: layer names, and per key its value in each layer. */
export interface RuntimeDump {
  layers: string[];
  /** `layerValues[i]` belongs to `layers[i]`; `''` means not set in that layer. */
  entries: Map<string, {layerValues: string[]; finalValue: string}>;
}

/** One tracing key as the proxy resolves it. */
export interface KeyState {
  /** The winning value, or null when no layer sets the key. */
  raw: string | null;
  /** The rate it stands for; null when the connection manager's configured default applies. */
  share: Share | null;
  /** Name of the layer the winning value comes from. */
  layer: string | null;
  /** The admin layer's own value (a `/runtime_modify` override), or null. */
  override: string | null;
}

export type TracingState = Record<TracingKey, KeyState>;

export type Parsed<T> = {ok: true; value: T} | {ok: false; message: string};

/** Validate the JSON of `GET /runtime` (`{"layers": [...], "entries": {key: {layer_values, final_value}}}`). */
export function parseRuntimeDump(json: unknown): Parsed<RuntimeDump> {
  const bad = (why: string): Parsed<RuntimeDump> => ({ok: false, message: `unexpected /runtime answer: ${why}`});
  if (typeof json !== 'object' || json === null) return bad('not a JSON object');
  const {layers, entries} = json as {layers?: unknown; entries?: unknown};
  if (!Array.isArray(layers) || !layers.every((l) => typeof l === 'string')) return bad('no "layers" list');
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return bad('no "entries" object');
  const out = new Map<string, {layerValues: string[]; finalValue: string}>();
  for (const [key, value] of Object.entries(entries)) {
    const entry = value as {layer_values?: unknown; final_value?: unknown} | null;
    const layerValues = entry?.layer_values;
    if (!Array.isArray(layerValues) || layerValues.length !== layers.length || !layerValues.every((v) => typeof v === 'string')) {
      return bad(`entry "${key}" has no layer_values for each of the ${layers.length} layers`);
    }
    out.set(key, {layerValues: layerValues as string[], finalValue: typeof entry?.final_value === 'string' ? entry.final_value : ''});
  }
  return {ok: true, value: {layers: layers as string[], entries: out}};
}

/**
 * Which layer `/runtime_modify` writes. Envoy's `/runtime` does not mark it; Istio's bootstrap
 * and Envoy's documentation name it `admin`, and a bootstrap lists it last so it wins.
 */
export function adminLayerIndex(dump: RuntimeDump): number {
  const named = dump.layers.findIndex((name) => name.toLowerCase() === 'admin');
  return named >= 0 ? named : dump.layers.length - 1;
}

export function tracingState(dump: RuntimeDump): TracingState {
  const admin = adminLayerIndex(dump);
  const state = {} as TracingState;
  for (const key of TRACING_KEYS) {
    const values = dump.entries.get(key)?.layerValues ?? [];
    // Later layers override earlier ones.
    let winner = -1;
    values.forEach((value, i) => {
      if (value !== '') winner = i;
    });
    const raw = winner >= 0 ? values[winner] : null;
    state[key] = {
      raw,
      share: raw === null ? null : shareOfRuntimeValue(raw),
      layer: winner >= 0 ? dump.layers[winner] : null,
      override: admin >= 0 && values[admin] ? values[admin] : null,
    };
  }
  return state;
}

/** What `/runtime` would show after writing `values` to the admin layer (`''` deletes). */
export function withOverrides(dump: RuntimeDump, values: ReadonlyMap<string, string>): RuntimeDump {
  const admin = adminLayerIndex(dump);
  if (admin < 0) return dump;
  const entries = new Map(dump.entries);
  for (const [key, value] of values) {
    const layerValues = [...(entries.get(key)?.layerValues ?? dump.layers.map(() => ''))];
    layerValues[admin] = value;
    const finalValue = [...layerValues].reverse().find((v) => v !== '') ?? '';
    entries.set(key, {layerValues, finalValue});
  }
  return {layers: dump.layers, entries};
}
