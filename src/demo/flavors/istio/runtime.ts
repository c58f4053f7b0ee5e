import {parse as parseYaml} from 'yaml';

/** A FractionalPercent (envoy.type.v3.FractionalPercent). */
export interface FractionalPercent {
  numerator: number;
  denominator: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';
}

const DENOMINATOR = {HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000} as const;

/** One runtime value as Envoy resolves it (runtime_impl.cc resolveEntryType). */
interface Entry {
  raw: string;
  bool?: boolean;
  uint?: number;
  fraction?: FractionalPercent;
}

function resolve(raw: string): Entry {
  const entry: Entry = {raw};
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false') {
    entry.bool = lower === 'true';
    return entry;
  }
  if (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw)) {
    const value = Number(raw);
    // A non-negative number is stored floored: "0.5" becomes 0.
    if (value >= 0) entry.uint = Math.floor(value);
    return entry;
  }
  try {
    const parsed = parseYaml(raw) as {numerator?: unknown; denominator?: unknown} | null;
    if (parsed && typeof parsed === 'object' && parsed.numerator !== undefined) {
      const denominator = parsed.denominator === undefined ? 'HUNDRED' : String(parsed.denominator);
      const numerator = Number(parsed.numerator);
      if (denominator in DENOMINATOR && Number.isInteger(numerator) && numerator >= 0) {
        entry.fraction = {numerator, denominator: denominator as FractionalPercent['denominator']};
      }
    }
  } catch {
    // Not a FractionalPercent: the value stays a plain string.
  }
  return entry;
}

export interface RuntimeLayer {
  name: string;
  values: Map<string, Entry>;
  /** Only the admin layer takes `/runtime_modify` overrides. */
  admin: boolean;
}

/**
 * Envoy's layered runtime as Istio's bootstrap configures it: static `deprecation` and
 * `global config` layers, then the `admin` layer that `/runtime_modify` writes (and wins).
 */
export class LayeredRuntime {
  readonly layers: RuntimeLayer[];

  constructor() {
    const layer = (name: string, values: Record<string, string>, admin = false): RuntimeLayer => ({
      name,
      admin,
      values: new Map(Object.entries(values).map(([k, v]) => [k, resolve(v)])),
    });
    this.layers = [
      layer('deprecation', {
        'envoy.deprecated_features:envoy.config.listener.v3.Listener.hidden_envoy_deprecated_use_original_dst': 'true',
        'envoy.reloadable_features.http_reject_path_with_fragment': 'false',
        'envoy.reloadable_features.require_strict_1xx_and_204_response_headers': 'false',
        're2.max_program_size.error_level': '1024',
      }),
      layer('global config', {'overload.global_downstream_max_connections': '2147483647'}),
      layer('admin', {}, true),
    ];
  }

  /** Apply overrides; an empty value removes the key from the admin layer. */
  merge(overrides: ReadonlyArray<readonly [string, string]>): void {
    const admin = this.layers.find((l) => l.admin);
    if (!admin) throw new Error('No admin layer specified');
    for (const [key, value] of overrides) {
      if (value === '') admin.values.delete(key);
      else admin.values.set(key, resolve(value));
    }
  }

  get adminOverrides(): number {
    return this.layers.find((l) => l.admin)?.values.size ?? 0;
  }

  private entry(key: string): Entry | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const value = this.layers[i].values.get(key);
      if (value) return value;
    }
    return undefined;
  }

  /**
   * Snapshot::featureEnabled(key, default, random): a FractionalPercent value wins; a plain
   * integer is a percentage out of 100 (anything above 100 means always); otherwise the default.
   */
  featureEnabled(key: string, fallback: FractionalPercent, random: number): boolean {
    const entry = this.entry(key);
    let percent = fallback;
    if (entry?.fraction) percent = entry.fraction;
    else if (entry?.uint !== undefined) {
      if (entry.uint > 100) return true;
      percent = {numerator: entry.uint, denominator: 'HUNDRED'};
    }
    const denominator = DENOMINATOR[percent.denominator];
    return random % denominator < percent.numerator;
  }

  /** `/runtime`'s JSON: layer names, and for every key its value per layer and the winner. */
  toJson(): string {
    const keys = [...new Set(this.layers.flatMap((l) => [...l.values.keys()]))].sort();
    const entries: Record<string, {final_value: string; layer_values: string[]}> = {};
    for (const key of keys) {
      const layerValues = this.layers.map((l) => l.values.get(key)?.raw ?? '');
      entries[key] = {final_value: [...layerValues].reverse().find((v) => v !== '') ?? '', layer_values: layerValues};
    }
    return JSON.stringify({entries, layers: this.layers.map((l) => l.name)}, null, 1);
  }
}

export const RUNTIME_USAGE =
  'usage: /runtime_modify?key1=value1&key2=value2&keyN=valueN\n' +
  '       or send the parameters as form values\n' +
  'use an empty value to remove a previously added override';
