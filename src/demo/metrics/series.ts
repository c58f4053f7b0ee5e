/**
 * Series of one metric family keyed by their rendered label string, kept in the order they
 * first appeared (as proxies print them).
 */
export class SeriesMap<V> {
  private readonly map = new Map<string, {labels: string; value: V}>();

  constructor(private readonly create: () => V) {}

  get(labels: string): V {
    let entry = this.map.get(labels);
    if (!entry) {
      entry = {labels, value: this.create()};
      this.map.set(labels, entry);
    }
    return entry.value;
  }

  entries(): IterableIterator<{labels: string; value: V}> {
    return this.map.values();
  }

  get size(): number {
    return this.map.size;
  }
}

/** Escape a label value for the Prometheus text format. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `k1="v1",k2="v2"` in the given order. */
export function formatLabels(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
}

/** Join two already-formatted label strings, either of which may be empty. */
export function joinLabels(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(',');
}
