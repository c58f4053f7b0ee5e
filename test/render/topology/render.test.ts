import {describe, expect, it} from 'vitest';
import type {TopologyGraph} from '../../../src/model/topology.js';
import {MAX_DRAWN_NODES, renderTopology} from '../../../src/render/topology/index.js';
import {textWidth} from '../../../src/render/topology/text-width.js';
import {colorChalk, expectedEdges, loadGraph, plainChalk} from './graphs.js';
import {readDrawing} from './read-drawing.js';

const plain = (graph: TopologyGraph, width = 80) => renderTopology(graph, {width, unicode: true, color: plainChalk});
const edge = (from: string, to: string, success: number | null = 1): TopologyGraph['edges'][number] => ({
  from,
  to,
  rps: 1,
  success,
  latencyMsP99: 5,
  secured: true,
  measuredBy: 'both',
});

describe('renderTopology', () => {
  it('says so when there is nothing to draw', () => {
    expect(plain({nodes: [], edges: []})).toEqual({text: 'No edges found.\n'});
  });

  it('layers the bookstore left to right from its entry points', () => {
    const {boxes, edges} = readDrawing(plain(loadGraph('bookstore')).text);
    const column = (name: string) => boxes.find((b) => b.name === name)!.left;
    expect(column('traffic')).toBeLessThan(column('webapp'));
    expect(column('unknown')).toBeLessThan(column('webapp'));
    expect(column('webapp')).toBeLessThan(column('books'));
    expect(column('books')).toBeLessThan(column('authors'));
    expect(edges.sort()).toEqual(expectedEdges(loadGraph('bookstore')));
  });

  it('points the edge that closes a cycle back left, and loops a self-call', () => {
    const {text} = plain(loadGraph('cyclic'));
    const {boxes, edges} = readDrawing(text);
    expect(edges.sort()).toEqual(['a -> b', 'b -> c', 'c -> a', 'c -> c']);
    const column = (name: string) => boxes.find((b) => b.name === name)!.left;
    expect(column('a')).toBeLessThan(column('c'));
    expect([...text].filter((c) => c === '◀')).toHaveLength(2);
  });

  it('draws a node that has no traffic, and one that only an edge names', () => {
    const graph: TopologyGraph = {nodes: [{id: 'idle', name: 'idle', namespace: null, kind: 'workload'}], edges: [edge('client', 'idle')]};
    const {text} = plain({nodes: [...graph.nodes, {id: 'lonely', name: 'lonely', namespace: null, kind: 'workload'}], edges: graph.edges});
    expect(readDrawing(text).boxes.map((b) => b.name).sort()).toEqual(['client', 'idle', 'lonely']);
    expect(text).toContain('╭┄┄┄┄┄┄┄┄╮');
  });

  it('takes any string as a node id, even ones a plain object would misread', () => {
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const graph: TopologyGraph = {nodes: [], edges: ids.slice(1).map((id, i) => edge(ids[i], id))};
    expect(readDrawing(plain(graph, 200).text).edges.sort()).toEqual(expectedEdges(graph));
  });

  it('shows hostile names escaped, in a drawing and in a listing', () => {
    for (const width of [200, 80]) {
      const {text} = plain(loadGraph('hostile'), width);
      expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
      expect(text).toContain('\\x1b[2J\\x1b[31mred\\u202eevil');
      expect(text).toContain('line\\x0abreak');
    }
  });

  it('draws at any width when given Infinity, and at 80 columns when given no number', () => {
    expect(plain(loadGraph('wide'), Number.POSITIVE_INFINITY)).toEqual(plain(loadGraph('wide'), 1000));
    expect(plain(loadGraph('fanout'), Number.NaN)).toEqual(plain(loadGraph('fanout'), 80));
  });

  it('keeps within tiny widths too', () => {
    for (const width of [1, 10, 25]) {
      for (const line of plain(loadGraph('bookstore'), width).text.split('\n')) expect(textWidth(line)).toBeLessThanOrEqual(width);
    }
  });

  it('explains a reduced drawing in one line that names the alternatives', () => {
    const reduced = plain(loadGraph('fanout'), 90).notice!;
    expect(reduced).toMatch(/wider than 90 columns, so edge labels show the success rate only/);
    const listed = plain(loadGraph('wide'), 80).notice!;
    expect(listed).toMatch(/too wide to draw in 80 columns, so it is listed instead/);
    for (const notice of [reduced, listed]) {
      expect(notice).toContain('-o dot');
      expect(notice).toContain('-o mermaid');
      expect(notice).toContain('-o table');
    }
    expect(plain(loadGraph('fanout'), 100).notice).toBeUndefined();
  });

  it('lists a graph too big to lay out, and says why', () => {
    const count = MAX_DRAWN_NODES + 1;
    const nodes = Array.from({length: count}, (_, i) => ({id: `s${i}`, name: `s${i}`, namespace: null, kind: 'workload' as const}));
    const edges = nodes.slice(1).map((n, i) => edge(`s${i}`, n.id));
    const {text, notice} = plain({nodes, edges});
    expect(notice).toMatch(new RegExp(`^topology: ${count} nodes and ${count - 1} edges are too many to draw`));
    expect(text.split('\n').filter((l) => l.startsWith('  ─▶ '))).toHaveLength(count - 1);
  });

  it('colours by the given thresholds, and only through the chalk it is given', () => {
    const codeBefore = (text: string, needle: string) => new RegExp(`\\x1b\\[(\\d+)m[^\\x1b]*${needle.replace('.', '\\.')}`).exec(text)?.[1];
    const graph = loadGraph('bookstore');
    const byDefault = renderTopology(graph, {width: 80, unicode: true, color: colorChalk}).text;
    expect(codeBefore(byDefault, '68.3%')).toBe('31');
    expect(codeBefore(byDefault, '100%')).toBe('32');
    const lenient = renderTopology(graph, {width: 80, unicode: true, color: colorChalk, healthThresholds: {good: 0.6, warn: 0.5}}).text;
    expect(codeBefore(lenient, '68.3%')).toBe('32');
    expect(codeBefore(lenient, '54.1%')).toBe('33');
    expect(lenient.replace(/\x1b\[\d+m/g, '')).toMatch(/success rate \(boxes: traffic served\): green ≥60% {3}yellow ≥50% {3}red below/);
    expect(plain(graph).text).not.toContain('success rate (');
  });

  it('dims an edge whose success rate is unknown', () => {
    const graph: TopologyGraph = {nodes: [], edges: [edge('a', 'b', null)]};
    const text = renderTopology(graph, {width: 80, unicode: true, color: colorChalk}).text;
    expect(text).toMatch(/\x1b\[2m[─▶]+/);
  });
});
