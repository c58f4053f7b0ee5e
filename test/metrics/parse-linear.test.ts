import {describe, expect, it} from 'vitest';
import {MetricsParseError, parsePrometheusText} from '../../src/metrics/parse.js';

// Coarse scaling checks: a 16x larger input must take less than 64x the time (linear gives
// ~16x, quadratic ~256x). Time is this process's CPU time, not wall time, so other work on a
// busy machine does not count against the longer run; the minimum of several runs and a small
// absolute allowance absorb the rest. A quadratic path still fails by a wide margin.

const GROWTH = 16;
const ALLOWED_RATIO = 64;
const RUNS = 7;

function parseOrRefuse(text: string): void {
  try {
    parsePrometheusText(text);
  } catch (error) {
    if (!(error instanceof MetricsParseError)) throw error;
  }
}

function timeMs(text: string): number {
  const start = process.cpuUsage();
  parseOrRefuse(text);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Fastest of several runs of each input, taken in turns so both see the same machine load. */
function fastestPairMs(small: string, large: string): [number, number] {
  let smallMs = Infinity;
  let largeMs = Infinity;
  for (let run = 0; run < RUNS; run++) {
    smallMs = Math.min(smallMs, timeMs(small));
    largeMs = Math.min(largeMs, timeMs(large));
  }
  return [smallMs, largeMs];
}

/** Each shape builds an input of about `size` characters. */
const SHAPES: Array<[string, (size: number) => string]> = [
  ['many ordinary lines', (size) => 'm{a="b",c="d"} 1\n'.repeat(size / 17)],
  ['one very long label value', (size) => `m{a="${'x'.repeat(size)}"} 1\n`],
  ['one long label value of escapes', (size) => `m{a="${'\\\\\\"\\n'.repeat(size / 6)}"} 1\n`],
  ['many labels on one line', (size) => `m{${Array.from({length: size / 12}, (_, i) => `l${i}="v"`).join(',')}} 1\n`],
  ['an unterminated value running to the end', (size) => `m{a="${'x'.repeat(size)}`],
  ['a value with quotes but no close on its line', (size) => `m{a="x\n${'"'.repeat(size)}`],
  ['long runs of braces', (size) => `m${'{'.repeat(size)}`],
  ['long runs of quotes after a value', (size) => `m{a=""${'"'.repeat(size)}} 1\n`],
  ['long runs of backslashes in HELP', (size) => `# HELP m ${'\\'.repeat(size)}\nm 1\n`],
  ['many lines with a backslash only at the end', (size) => `${'m{a="b"} 1\n'.repeat(size / 11)}m{a="\\\\"} 1\n`],
  ['many distinct names', (size) => Array.from({length: size / 16}, (_, i) => `name_${i}_total 1\n`).join('')],
  ['many declared families', (size) => Array.from({length: size / 40}, (_, i) => `# TYPE f${i} histogram\nf${i}_count 1\n`).join('')],
  ['a very long blank run', (size) => `m{a="b"}${' '.repeat(size)}1\n`],
  ['a very long line of `#`', (size) => `#${'#'.repeat(size)}\nm 1\n`],
  ['an error at the end of a long input', (size) => `${'m 1\n'.repeat(size / 4)}m x\n`],
];

describe('time grows linearly with the input', () => {
  it.each(SHAPES)('%s', (_shape, build) => {
    const small = build(16 * 1024);
    const large = build(16 * 1024 * GROWTH);
    timeMs(small);
    timeMs(large);
    const [smallMs, largeMs] = fastestPairMs(small, large);
    expect(largeMs, `${smallMs.toFixed(2)} ms, then ${largeMs.toFixed(2)} ms`).toBeLessThan(ALLOWED_RATIO * smallMs + 5);
  });
});
