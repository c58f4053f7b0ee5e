import fc from 'fast-check';

/**
 * Random but valid exposition text, built from a model the test keeps, so what the parser
 * returns can be compared with what was generated rather than with another parse.
 */

export interface ModelSample {
  name: string;
  labels: Array<[string, string]>;
  value: number;
  timestampMs: number | null;
}

export interface ModelFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | null;
  unit: string | null;
  samples: ModelSample[];
}

/** How the model is written out: the freedoms the format allows. */
export interface Layout {
  newline: '\n' | '\r\n';
  blank: string;
  trailingNewline: boolean;
  endWithEof: boolean;
  blankLinesBetweenFamilies: boolean;
  /** Per sample: write an OpenMetrics exemplar after it. */
  exemplars: boolean[];
  /** Per value: how to spell it. */
  spellings: number[];
}

const SUFFIXES: Record<ModelFamily['type'], string[]> = {
  counter: ['', '_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['', '_sum', '_count', '_created'],
  gauge: [''],
  untyped: [''],
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'.split('');
const DIGITS = '0123456789'.split('');

function identifier(first: string[], rest: string[], maxRest: number): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...first), fc.string({unit: fc.constantFrom(...rest), maxLength: maxRest})).map(([a, b]) => a + b);
}

const labelName = fc.oneof(
  {weight: 8, arbitrary: identifier(LETTERS, [...LETTERS, ...DIGITS], 12)},
  {weight: 1, arbitrary: fc.constantFrom('le', 'quantile', '__proto__', 'constructor', 'toString', 'direction')},
);
const metricBaseName = identifier([...LETTERS, ':'], [...LETTERS, ...DIGITS, ':'], 15);

/** Anything but NUL (refused anywhere): raw control characters, CR, quotes, backslashes, UTF-8. */
const labelValue = fc.oneof(
  fc.string({unit: 'binary', maxLength: 24}),
  fc.string({unit: fc.constantFrom('\\', '"', '\n', '\r', '\t', '\u001b', '{', '}', ',', '=', '#', ' ', 'a', 'é', '😀'), maxLength: 16}),
).map((value) => value.replace(/\0/g, ''));

const value = fc.oneof(
  fc.double(),
  fc.integer({min: -1_000_000, max: 1_000_000}),
  fc.constantFrom(2 ** 53 + 2, 2 ** 64, 16440392441958860800, -0, 0.1, 1e-310),
);

const helpText = fc
  .string({unit: fc.oneof(fc.constantFrom('\\', '\n', 'n', ' ', '\t', '.', 'é'), fc.string({unit: 'grapheme-ascii', minLength: 1, maxLength: 1})), maxLength: 30})
  .map((text) => text.replace(/[\0\r]/g, '').replace(/^[ \t]+/, ''));

const TYPES: Array<ModelFamily['type']> = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

const sampleDraft = fc.record({
  suffix: fc.nat(3),
  labels: fc.uniqueArray(fc.tuple(labelName, labelValue), {maxLength: 6, selector: ([name]) => name}),
  value,
  timestampMs: fc.option(fc.integer({min: -1e12, max: 1e13}), {freq: 4}),
});

const familyDraft = fc.record({
  base: metricBaseName,
  type: fc.constantFrom(...TYPES),
  help: fc.option(helpText),
  unit: fc.option(fc.string({unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), minLength: 1, maxLength: 8})),
  samples: fc.array(sampleDraft, {maxLength: 5}),
});

export const model: fc.Arbitrary<ModelFamily[]> = fc.array(familyDraft, {maxLength: 6}).map((drafts) =>
  drafts.map(({base, type, help, unit, samples}, index) => {
    // A unique tail keeps families apart whatever suffixes their samples carry.
    const name = `${base}_f${index}`;
    const suffixes = SUFFIXES[type];
    return {
      name,
      type,
      help,
      unit,
      samples: samples.map(({suffix, labels, value: sampleValue, timestampMs}) => ({name: name + suffixes[suffix % suffixes.length], labels, value: sampleValue, timestampMs})),
    };
  }),
);

export const layout: fc.Arbitrary<Layout> = fc.record({
  newline: fc.constantFrom('\n', '\r\n') as fc.Arbitrary<'\n' | '\r\n'>,
  blank: fc.constantFrom(' ', '\t', '  ', ' \t '),
  trailingNewline: fc.boolean(),
  endWithEof: fc.boolean(),
  blankLinesBetweenFamilies: fc.boolean(),
  exemplars: fc.array(fc.boolean(), {minLength: 40, maxLength: 40}),
  spellings: fc.array(fc.nat(3), {minLength: 40, maxLength: 40}),
});

function escapeLabelValue(text: string): string {
  return text.replace(/[\\"\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`));
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (ch) => (ch === '\n' ? '\\n' : '\\\\'));
}

/** Spells a float64 so that reading it back gives the same value; `how` picks one of the ways. */
export function spell(number: number, how: number): string {
  if (Number.isNaN(number)) return ['NaN', 'nan', 'NaN', 'NAN'][how];
  if (number === Infinity) return ['+Inf', 'Inf', '+inf', 'Infinity'][how];
  if (number === -Infinity) return ['-Inf', '-inf', '-INF', '-Infinity'][how];
  if (Object.is(number, -0)) return '-0';
  if (how === 1) return number.toExponential();
  if (how === 2) return number.toPrecision(17);
  if (how === 3 && Number.isInteger(number)) return BigInt(number).toString();
  return String(number);
}

export function render(families: ModelFamily[], form: Layout): string {
  const lines: string[] = [];
  const b = form.blank;
  let sampleIndex = 0;
  for (const family of families) {
    if (family.help !== null) lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    if (family.unit !== null) lines.push(`# UNIT ${family.name} ${family.unit}`);
    for (const sample of family.samples) {
      const at = sampleIndex++ % 40;
      const labels = sample.labels.map(([name, text]) => `${name}="${escapeLabelValue(text)}"`).join(',');
      let line = `${sample.name}{${labels}}${b}${spell(sample.value, form.spellings[at])}`;
      if (sample.timestampMs !== null) line += `${b}${sample.timestampMs}`;
      if (form.exemplars[at]) line += `${b}# {trace_id="${at}"} 1.5`;
      lines.push(line);
    }
    if (form.blankLinesBetweenFamilies) lines.push('');
  }
  if (form.endWithEof) lines.push('# EOF');
  const text = lines.join(form.newline);
  return form.trailingNewline && text !== '' ? text + form.newline : text;
}
