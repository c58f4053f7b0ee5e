import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeChalk} from '../../src/render/color.js';
import {drawBar, renderWaterfall} from '../../src/tracing/render/waterfall.js';
import {ownFixturePath} from '../helpers/fixtures.js';
import {envoyTrace, linkerdTrace, modelSpan, TRACE_A} from './helpers/model-spans.js';
import type {Span} from '../../src/tracing/model.js';

const plain = makeChalk(false);

/**
 * Compare with test/fixtures/tracing/NAME.golden. Goldens are reviewed by hand when written
 * (UPDATE_GOLDENS=1 rewrites them); the bar positions they contain are also checked
 * arithmetically in the drawBar tests below.
 */
function expectGolden(name: string, text: string): void {
  const path = ownFixturePath(`tracing/${name}.golden`);
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), {recursive: true});
    writeFileSync(path, text);
    if (process.env.UPDATE_GOLDENS !== '1') throw new Error(`golden ${name} was missing and has been written; review it`);
  }
  expect(text).toBe(readFileSync(path, 'utf8'));
}

function nestedTrace(): Span[] {
  return [
    modelSpan({id: '1', name: 'GET /checkout', kind: 2, start: 0, end: 200, service: 'frontend'}),
    modelSpan({id: '2', parent: '1', name: 'reserve stock', kind: 3, start: 10, end: 60, service: 'frontend'}),
    modelSpan({id: '3', parent: '2', name: 'POST /reserve', kind: 2, start: 15, end: 55, service: 'inventory'}),
    modelSpan({id: '4', parent: '3', name: 'UPDATE stock', kind: 3, start: 20, end: 50, service: 'inventory', error: true}),
    modelSpan({id: '5', parent: '1', name: 'charge card', kind: 3, start: 70, end: 190, service: 'frontend'}),
  ];
}

function orphanTrace(): Span[] {
  return [
    modelSpan({id: '1', name: 'GET /', kind: 2, start: 0, end: 100, service: 'web'}),
    modelSpan({id: '2', parent: '1', name: 'render', kind: 1, start: 5, end: 40, service: 'web'}),
    // Parent 99 never arrived.
    modelSpan({id: '7', parent: '99', name: 'late callee', kind: 2, start: 50, end: 95, service: 'api'}),
  ];
}

describe('renderWaterfall goldens', () => {
  it('nested spans at 80 columns', () => {
    expectGolden('nested-80', renderWaterfall(TRACE_A, nestedTrace(), {width: 80, chalk: plain}));
  });

  it('nested spans at 120 columns', () => {
    expectGolden('nested-120', renderWaterfall(TRACE_A, nestedTrace(), {width: 120, chalk: plain}));
  });

  it('orphans at the top level with a marker', () => {
    expectGolden('orphan-100', renderWaterfall(TRACE_A, orphanTrace(), {width: 100, chalk: plain}));
  });

  it('Linkerd proxy split', () => {
    expectGolden('linkerd-split-110', renderWaterfall(TRACE_A, linkerdTrace(), {width: 110, chalk: plain}));
  });

  it('Envoy sidecar split', () => {
    expectGolden('envoy-split-120', renderWaterfall(TRACE_A, envoyTrace(), {width: 120, chalk: plain, notes: ['(still open at exit: may be incomplete)']}));
  });
});

describe('renderWaterfall layout', () => {
  it('never draws lines wider than asked, and never narrower than 80 columns', () => {
    for (const width of [40, 80, 97, 160]) {
      const lines = renderWaterfall(TRACE_A, envoyTrace(), {width, chalk: plain}).trimEnd().split('\n');
      const widest = Math.max(...lines.map((line) => [...line].length));
      expect(widest).toBeLessThanOrEqual(Math.max(80, width));
    }
  });

  it('escapes control characters in names and services from the wire', () => {
    const hostile = modelSpan({id: '1', name: 'evil\u001b[2Jname', start: 0, end: 1, service: 'svc\u009b'});
    const text = renderWaterfall(TRACE_A, [hostile], {width: 120, chalk: plain});
    expect(text).not.toMatch(/[\u001b\u009b]/);
    expect(text).toContain('evil\\x1b[2Jname');
  });
});

describe('drawBar', () => {
  it('places a bar proportionally on the axis', () => {
    // 200 ms trace on 40 cells: 5 ms per cell; 10–60 ms covers cells 2..11.
    expect(drawBar(10_000_000n, 60_000_000n, 200_000_000n, 40)).toBe(`${' '.repeat(2)}${'█'.repeat(10)}`);
    expect(drawBar(0n, 200_000_000n, 200_000_000n, 40)).toBe('█'.repeat(40));
  });

  it('draws at least one cell, inside the axis', () => {
    expect(drawBar(100n, 100n, 200_000_000n, 40)).toBe('█');
    expect(drawBar(200_000_000n, 200_000_000n, 200_000_000n, 40)).toBe(`${' '.repeat(39)}█`);
    expect(drawBar(0n, 0n, 0n, 10)).toBe('█');
  });
});
