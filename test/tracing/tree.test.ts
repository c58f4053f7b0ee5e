import {describe, expect, it} from 'vitest';
import {buildTree, flattenTree} from '../../src/tracing/tree.js';
import {modelSpan} from './helpers/model-spans.js';

const shortIds = (rows: ReturnType<typeof flattenTree>) => rows.map((row) => `${'  '.repeat(row.depth)}${row.node.span.spanId.replace(/^0+/, '')}${row.node.orphan ? '?' : ''}`);

describe('buildTree / flattenTree', () => {
  it('nests children under parents, ordered by start time whatever the arrival order', () => {
    const spans = [
      modelSpan({id: '3', parent: '1', start: 20, end: 30}),
      modelSpan({id: '2', parent: '1', start: 5, end: 10}),
      modelSpan({id: '4', parent: '2', start: 6, end: 9}),
      modelSpan({id: '1', start: 0, end: 40}),
    ];
    expect(shortIds(flattenTree(buildTree(spans)))).toEqual(['1', '  2', '    4', '  3']);
  });

  it('puts orphans at the top level, marked, in start order with the roots', () => {
    const spans = [
      modelSpan({id: '1', start: 10, end: 40}),
      modelSpan({id: '7', parent: 'ff', start: 0, end: 5}),
      modelSpan({id: '8', parent: '7', start: 1, end: 2}),
    ];
    expect(shortIds(flattenTree(buildTree(spans)))).toEqual(['7?', '  8', '1']);
  });

  it('breaks parent cycles so every span still appears exactly once', () => {
    const spans = [
      modelSpan({id: '1', parent: '2', start: 0, end: 5}),
      modelSpan({id: '2', parent: '1', start: 1, end: 4}),
      modelSpan({id: '3', parent: '3', start: 2, end: 3}),
    ];
    const rows = flattenTree(buildTree(spans));
    expect(shortIds(rows)).toEqual(['1?', '  2', '3?']);
  });

  it('records which ancestors were last among their siblings, for drawing', () => {
    const spans = [
      modelSpan({id: '1', start: 0, end: 10}),
      modelSpan({id: '2', parent: '1', start: 1, end: 2}),
      modelSpan({id: '3', parent: '2', start: 1, end: 2}),
      modelSpan({id: '4', parent: '1', start: 3, end: 4}),
    ];
    const rows = flattenTree(buildTree(spans));
    expect(rows.map((row) => row.lastAtLevel)).toEqual([[true], [true, false], [true, false, true], [true, true]]);
    expect(rows.map((row) => row.parent?.span.spanId.replace(/^0+/, ''))).toEqual([undefined, '1', '2', '1']);
  });
});
