import {describe, expect, it} from 'vitest';
import {TraceAssembler, type AssembledTrace, type AssemblerLimits} from '../../src/tracing/assembler.js';
import {modelSpan} from './helpers/model-spans.js';

const trace = (n: number) => n.toString(16).padStart(32, '0');

function setup(limits: Partial<AssemblerLimits> = {}) {
  let now = 0;
  const completed: AssembledTrace[] = [];
  const drops: string[] = [];
  const assembler = new TraceAssembler(
    {maxTraces: 100, maxSpansPerTrace: 100, maxSpans: 10_000, idleMs: 2000, ...limits},
    (t) => completed.push({...t, spans: [...t.spans]}),
    (traceId, reason) => drops.push(`${traceId.slice(-2)}: ${reason}`),
    () => now,
  );
  const advance = (ms: number) => {
    now += ms;
    assembler.tick();
  };
  const shown = () => completed.map((t) => `${t.traceId.slice(-2)}:${t.spans.length}:${t.reason}:r${t.revision}`);
  return {assembler, advance, completed, drops, shown};
}

describe('TraceAssembler', () => {
  it('completes a trace only after the idle period without new spans', () => {
    const {assembler, advance, shown} = setup();
    assembler.add([modelSpan({trace: trace(1), id: '1', start: 0, end: 1})]);
    advance(1500);
    assembler.add([modelSpan({trace: trace(1), id: '2', start: 0, end: 1})]);
    advance(1500);
    expect(shown()).toEqual([]);
    advance(500);
    expect(shown()).toEqual(['01:2:idle:r0']);
  });

  it('re-shows a trace with all its spans when a late span arrives', () => {
    const {assembler, advance, shown} = setup();
    assembler.add([modelSpan({trace: trace(1), id: '1', start: 0, end: 1})]);
    advance(2000);
    assembler.add([modelSpan({trace: trace(1), id: '2', start: 0, end: 1})]);
    advance(2000);
    expect(shown()).toEqual(['01:1:idle:r0', '01:2:idle:r1']);
  });

  it('replaces a re-sent span instead of counting it twice', () => {
    const {assembler, advance, completed} = setup();
    const first = modelSpan({trace: trace(1), id: '1', name: 'first', start: 0, end: 1});
    assembler.add([first, {...first, name: 'again'}]);
    advance(2000);
    expect(completed[0].spans.map((s) => s.name)).toEqual(['again']);
    expect(assembler.stats.spansReplaced).toBe(1);
    expect(assembler.stats.spansKept).toBe(1);
  });

  it('drops spans over the per-trace cap, counts them, and warns once per trace', () => {
    const {assembler, advance, completed, drops} = setup({maxSpansPerTrace: 3});
    assembler.add(Array.from({length: 5}, (_, i) => modelSpan({trace: trace(1), id: String(i + 1), start: 0, end: 1})));
    advance(2000);
    expect(completed[0].spans).toHaveLength(3);
    expect(completed[0].droppedSpans).toBe(2);
    expect(assembler.stats.spansDropped).toBe(2);
    expect(drops).toEqual(['01: more than 3 spans; later spans of this trace are dropped']);
  });

  it('forgets the oldest shown traces first when the trace cap is reached', () => {
    const {assembler, advance, shown} = setup({maxTraces: 2});
    assembler.add([modelSpan({trace: trace(1), id: '1', start: 0, end: 1})]);
    assembler.add([modelSpan({trace: trace(2), id: '1', start: 0, end: 1})]);
    advance(2000);
    assembler.add([modelSpan({trace: trace(3), id: '1', start: 0, end: 1})]);
    expect(assembler.stats.tracesForgotten).toBe(1);
    // Trace 1 was forgotten: a late span starts it afresh (revision 0), trace 2 is forgotten for room.
    assembler.add([modelSpan({trace: trace(1), id: '2', start: 0, end: 1})]);
    advance(2000);
    expect(shown()).toEqual(['01:1:idle:r0', '02:1:idle:r0', '03:1:idle:r0', '01:1:idle:r0']);
    expect(assembler.stats.tracesForgotten).toBe(2);
    expect(assembler.stats.tracesEvictedOpen).toBe(0);
  });

  it('shows the oldest open trace early when every slot holds an open trace', () => {
    const {assembler, shown} = setup({maxTraces: 2});
    for (const n of [1, 2, 3]) assembler.add([modelSpan({trace: trace(n), id: '1', start: 0, end: 1})]);
    expect(shown()).toEqual(['01:1:evicted:r0']);
    expect(assembler.stats.tracesEvictedOpen).toBe(1);
    expect(assembler.openTraces).toBe(2);
  });

  it('holds at most maxSpans spans over all traces', () => {
    const {assembler, advance} = setup({maxSpans: 10, maxTraces: 1000});
    for (let n = 1; n <= 30; n++) {
      assembler.add([modelSpan({trace: trace(n), id: '1', start: 0, end: 1}), modelSpan({trace: trace(n), id: '2', start: 0, end: 1})]);
      if (n % 3 === 0) advance(2000);
      expect(assembler.heldSpans).toBeLessThanOrEqual(10);
    }
    expect(assembler.stats.spansKept).toBe(60);
  });

  it('drops spans of a single trace larger than the total cap, and counts them', () => {
    const {assembler} = setup({maxSpans: 4, maxSpansPerTrace: 100});
    assembler.add(Array.from({length: 6}, (_, i) => modelSpan({trace: trace(1), id: String(i + 1), start: 0, end: 1})));
    expect(assembler.heldSpans).toBe(4);
    expect(assembler.stats.spansDropped).toBe(2);
  });

  it('flush() shows every open trace at once', () => {
    const {assembler, shown} = setup();
    assembler.add([modelSpan({trace: trace(1), id: '1', start: 0, end: 1}), modelSpan({trace: trace(2), id: '1', start: 0, end: 1})]);
    assembler.flush();
    expect(shown()).toEqual(['01:1:flushed:r0', '02:1:flushed:r0']);
    expect(assembler.openTraces).toBe(0);
  });
});
