import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {renderTopology} from '../../../src/render/topology/index.js';
import {textWidth} from '../../../src/render/topology/text-width.js';
import {arbitraryGraph, colorChalk, expectedEdges, plainChalk, shuffled} from './graphs.js';
import {readDrawing} from './read-drawing.js';

// Each run lays out a random graph several times; 60 keeps the file to a few seconds.
// PROPERTY_RUNS=5000 searches much harder (minutes).
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const TIMEOUT = Math.max(30_000, RUNS * 500);
const width = fc.integer({min: 30, max: 260});

/** Node names start with `n`; a drawing starts with a box, a line, a label or blanks. */
const isListing = (text: string) => text.startsWith('n');

/** Reads a listing: unindented lines name a caller, `  ─▶ name ...` lines its callees. */
function readListing(text: string): string[] {
  const edges: string[] = [];
  let caller = '';
  for (const line of text.trimEnd().split('\n')) {
    if (!line.startsWith(' ')) caller = line.split(' ')[0];
    else if (line.startsWith('  ─▶ ')) edges.push(`${caller} -> ${line.slice(5).split(' ')[0]}`);
  }
  return edges.sort();
}

describe('renderTopology properties', () => {
  it('fits the width, shows every edge from its source to its target, and ignores input order', () => {
    fc.assert(
      fc.property(arbitraryGraph, width, fc.integer(), (graph, columns, seed) => {
        const options = {width: columns, unicode: true, color: plainChalk};
        const result = renderTopology(graph, options);
        for (const line of result.text.split('\n')) expect(textWidth(line)).toBeLessThanOrEqual(columns);
        expect(result.notice ?? '').not.toContain('\n');
        expect(result.text).not.toContain('\x1b');

        const read = isListing(result.text) ? readListing(result.text) : readDrawing(result.text).edges.sort();
        expect(read).toEqual(expectedEdges(graph));

        const reordered = {nodes: shuffled(graph.nodes, seed), edges: shuffled(graph.edges, seed + 1)};
        expect(renderTopology(reordered, options)).toEqual(result);
      }),
      {numRuns: RUNS},
    );
  }, TIMEOUT);

  it('draws every node as exactly one box when there is room', () => {
    fc.assert(
      fc.property(arbitraryGraph, (graph) => {
        const {text, notice} = renderTopology(graph, {width: 1000, unicode: true, color: plainChalk});
        expect(notice).toBeUndefined();
        expect(readDrawing(text).boxes.map((b) => b.name).sort()).toEqual(graph.nodes.map((n) => n.name).sort());
      }),
      {numRuns: RUNS},
    );
  }, TIMEOUT);

  it('writes only ASCII in ASCII mode, and colour changes nothing but colour', () => {
    fc.assert(
      fc.property(arbitraryGraph, width, (graph, columns) => {
        const ascii = renderTopology(graph, {width: columns, unicode: false, color: plainChalk});
        expect(ascii.text).toMatch(/^[\x20-\x7e\n]*$/);

        const plain = renderTopology(graph, {width: columns, unicode: true, color: plainChalk});
        const coloured = renderTopology(graph, {width: columns, unicode: true, color: colorChalk});
        const stripped = coloured.text.replace(/\x1b\[[0-9;]*m/g, '');
        // The colour key is the only extra line a colour terminal gets.
        expect(stripped.split('\n').filter((line) => !line.startsWith('success rate (boxes: traffic served):'))).toEqual(plain.text.split('\n'));
        if (!isListing(plain.text) && graph.edges.some((e) => e.success !== null)) expect(coloured.text).toContain('\x1b[');
      }),
      {numRuns: RUNS},
    );
  }, TIMEOUT);
});
