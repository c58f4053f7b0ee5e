import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {MetricsParseError, parsePrometheusText} from '../../src/metrics/parse.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {layout, model, render} from './exposition-arbitrary.js';

/** The parser's whole contract on arbitrary input: a result, or a MetricsParseError. */
function parsesOrRefuses(text: string): void {
  try {
    const parsed = parsePrometheusText(text);
    expect(Array.isArray(parsed.families)).toBe(true);
  } catch (error) {
    if (!(error instanceof MetricsParseError)) throw error;
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }
}

const SYNTAX_CHARS = ['{', '}', '"', '\\', '=', ',', ' ', '\t', '\n', '\r', '#', 'a', '_', ':', '1', '.', 'e', '+', '-', 'I', 'n', 'f', 'N', 'E', 'O', 'F', 'H', 'L', 'P', 'T', 'Y', '\u0000', '\u001b', 'é', '😀'];

describe('arbitrary input', () => {
  it('random strings: returns or throws MetricsParseError, nothing else', () => {
    fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 200}), parsesOrRefuses), {numRuns: 1500});
  });

  it('random strings over the format’s own characters', () => {
    const syntax = fc.string({unit: fc.constantFrom(...SYNTAX_CHARS), maxLength: 120});
    fc.assert(fc.property(syntax, parsesOrRefuses), {numRuns: 3000});
  });

  it('random lines built from format fragments', () => {
    const fragment = fc.oneof(
      fc.constantFrom('m', 'm_total', '{', '}', 'a="x"', 'a=', '"', ',', ' ', '1', 'NaN', '+Inf', '1e3', '\n', '\r\n', '# HELP m h\\n', '# TYPE m counter', '# UNIT m s', '# EOF', ' # {t="1"} 1', '\\"', '\\\\', '\\n', '\\t'),
      fc.string({unit: fc.constantFrom(...SYNTAX_CHARS), maxLength: 4}),
    );
    fc.assert(fc.property(fc.array(fragment, {maxLength: 30}).map((parts) => parts.join('')), parsesOrRefuses), {numRuns: 3000});
  });
});

describe('generated valid exposition round-trips', () => {
  it('families, types, HELP, UNIT, sample names, labels in order, values and timestamps', () => {
    fc.assert(
      fc.property(model, layout, (families, form) => {
        const text = render(families, form);
        const parsed = parsePrometheusText(text);
        const actual = parsed.families.map((f) => ({
          ...f,
          samples: f.samples.map((s) => ({...s, labels: Object.entries(s.labels)})),
        }));
        expect(actual).toEqual(families);
        const allSamples = parsed.families.flatMap((f) => f.samples);
        expect(allSamples.every((s) => Object.getPrototypeOf(s.labels) === Object.prototype)).toBe(true);
        for (const name of new Set(allSamples.map((s) => s.name))) {
          expect(parsed.samples(name)).toEqual(allSamples.filter((s) => s.name === name));
        }
      }),
      {numRuns: 400},
    );
  });
});

const CAPTURES = ['linkerd/metrics/schlep-outbound_grpc_route-excerpt.txt', 'linkerd/metrics/linkerd2-testutil-sampleMetrics.txt', 'envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt'];

describe.skipIf(!HAVE_SHARED_FIXTURES)('mutated real captures', () => {
  const texts = HAVE_SHARED_FIXTURES ? CAPTURES.map(readSharedFixture) : [];
  const capture = fc.nat(CAPTURES.length - 1).map((i) => texts[i]);
  const insert = fc.constantFrom('"', '{', '}', '\n', '\r', '\\', ',', '=', '#', ' ', '\u0000', '\u0007', '\u001b', 'é', '😀', '\r\n', '# EOF\n');

  function mutate(text: string, kind: number, at: number, other: string, piece: string): string {
    const cut = at % (text.length + 1);
    switch (kind) {
      case 0: // flip one character
        return text.slice(0, cut) + String.fromCharCode((text.charCodeAt(cut) ^ (1 + (at % 127))) & 0x7f) + text.slice(cut + 1);
      case 1: // truncate
        return text.slice(0, cut);
      case 2: // splice in a piece of another capture
        return text.slice(0, cut) + other.slice(at % other.length, (at % other.length) + (at % 300)) + text.slice(cut);
      default: // insert a character that matters to the syntax
        return text.slice(0, cut) + piece + text.slice(cut);
    }
  }

  it('byte flips, truncation, splices and inserted syntax characters', () => {
    const mutation = fc.tuple(fc.nat(3), fc.nat(), capture, insert);
    fc.assert(
      fc.property(capture, fc.array(mutation, {minLength: 1, maxLength: 4}), (text, mutations) => {
        let mutated = text;
        for (const [kind, at, other, piece] of mutations) mutated = mutate(mutated, kind, at, other, piece);
        parsesOrRefuses(mutated);
      }),
      {numRuns: 300},
    );
  });
});
