/**
 * A deliberately small, line-level reading of the Prometheus text format (0.0.4 plus the
 * OpenMetrics `# UNIT` / `# EOF` lines), written for the tests and independent of the demo's
 * own code, so fidelity tests compare two separate readings of the same text.
 */
export type Labels = Array<[string, string]>;

export interface Sample {
  name: string;
  labels: Labels;
  value: string;
  line: number;
}

export interface Family {
  name: string;
  type?: string;
  help?: string;
  unit?: string;
  samples: Sample[];
}

export interface Exposition {
  families: Map<string, Family>;
  /** Metadata and sample lines in order, for layout checks. */
  lines: Array<{kind: 'help' | 'type' | 'unit' | 'eof' | 'comment' | 'blank' | 'sample'; name: string; line: number}>;
  samples: Sample[];
}

export function parseLabels(text: string): Labels {
  const labels: Labels = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq).trim();
    if (text[eq + 1] !== '"') throw new Error(`bad label value at ${text.slice(eq)}`);
    let j = eq + 2;
    let value = '';
    while (text[j] !== '"') {
      if (j >= text.length) throw new Error(`unterminated label value in ${text}`);
      if (text[j] === '\\') {
        const next = text[j + 1];
        value += next === 'n' ? '\n' : next;
        j += 2;
      } else value += text[j++];
    }
    labels.push([name, value]);
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return labels;
}

const SUFFIXES = ['_bucket', '_count', '_sum', '_total'];

export function parseExposition(text: string): Exposition {
  const families = new Map<string, Family>();
  const lines: Exposition['lines'] = [];
  const samples: Sample[] = [];
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = {name, samples: []}));
    return f;
  };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') {
      lines.push({kind: 'blank', name: '', line});
      return;
    }
    const meta = /^# (HELP|TYPE|UNIT) (\S+)(?: (.*))?$/.exec(raw);
    if (meta) {
      const kind = meta[1].toLowerCase() as 'help' | 'type' | 'unit';
      const f = family(meta[2]);
      f[kind] = meta[3] ?? '';
      lines.push({kind, name: meta[2], line});
      return;
    }
    if (raw === '# EOF') {
      lines.push({kind: 'eof', name: '', line});
      return;
    }
    if (raw.startsWith('#')) {
      lines.push({kind: 'comment', name: '', line});
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(raw);
    if (!m) throw new Error(`line ${line} is not a sample: ${raw}`);
    const sample = {name: m[1], labels: m[2] ? parseLabels(m[2]) : [], value: m[3], line};
    samples.push(sample);
    lines.push({kind: 'sample', name: m[1], line});
    const owner = [m[1], ...SUFFIXES.filter((s) => m[1].endsWith(s)).map((s) => m[1].slice(0, -s.length))].find((n) => families.get(n)?.type);
    family(owner ?? m[1]).samples.push(sample);
  });
  return {families, lines, samples};
}

export function labelNames(sample: Sample): string[] {
  return sample.labels.map(([k]) => k);
}

export function label(sample: Sample, name: string): string | undefined {
  return sample.labels.find(([k]) => k === name)?.[1];
}

/** Sum of sample values with this name whose labels include all of `where`. */
export function sum(exposition: Exposition, name: string, where: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => label(s, k) === v))
    .reduce((total, s) => total + Number(s.value), 0);
}

/** The `le` bounds of a histogram's first series, in order, as written. */
export function bucketBounds(exposition: Exposition, bucketName: string): string[] {
  const first = exposition.samples.find((s) => s.name === bucketName);
  if (!first) return [];
  const key = JSON.stringify(first.labels.filter(([k]) => k !== 'le'));
  return exposition.samples
    .filter((s) => s.name === bucketName && JSON.stringify(s.labels.filter(([k]) => k !== 'le')) === key)
    .map((s) => label(s, 'le') ?? '');
}
