import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {TopologyGraph} from '../../../src/model/topology.js';
import {renderDot, renderMermaid, renderTopology} from '../../../src/render/topology/index.js';
import {ownFixturePath} from '../../helpers/fixtures.js';
import {colorChalk, loadGraph, plainChalk} from './graphs.js';

/**
 * Golden files: the exact output for each hand-made graph in test/fixtures/topology, one
 * file per output format, named `<graph>.<format>.golden`. A terminal golden holds the text
 * and, after a `-- notice --` line, the notice when there is one.
 *
 * After an intended change to the output, rewrite them with
 *   UPDATE_GOLDEN=1 npx vitest run test/render/topology/golden.test.ts
 * and read the diff (git diff test/fixtures/topology) before committing.
 */

function terminal(width: number, unicode: boolean, color = plainChalk) {
  return (graph: TopologyGraph) => {
    const {text, notice} = renderTopology(graph, {width, unicode, color});
    return notice === undefined ? text : `${text}-- notice --\n${notice}\n`;
  };
}

const FORMATS: Record<string, Record<string, (graph: TopologyGraph) => string>> = {
  bookstore: {
    'unicode-80': terminal(80, true),
    'ascii-80': terminal(80, false),
    'color-80': terminal(80, true, colorChalk),
    dot: renderDot,
    mermaid: renderMermaid,
  },
  cyclic: {'unicode-80': terminal(80, true), 'ascii-80': terminal(80, false), dot: renderDot, mermaid: renderMermaid},
  fanout: {
    'unicode-100': terminal(100, true),
    'unicode-90': terminal(90, true),
    'unicode-80': terminal(80, true),
    'ascii-100': terminal(100, false),
    dot: renderDot,
    mermaid: renderMermaid,
  },
  wide: {'unicode-80': terminal(80, true), 'unicode-250': terminal(250, true), 'ascii-80': terminal(80, false), dot: renderDot, mermaid: renderMermaid},
  hostile: {'unicode-200': terminal(200, true), 'unicode-80': terminal(80, true), 'ascii-200': terminal(200, false), dot: renderDot, mermaid: renderMermaid},
};

describe.each(Object.keys(FORMATS))('topology golden files: %s', (graphName) => {
  const graph = loadGraph(graphName);
  it.each(Object.keys(FORMATS[graphName]))('%s', (format) => {
    const actual = FORMATS[graphName][format](graph);
    const path = ownFixturePath(`topology/${graphName}.${format}.golden`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
    expect(existsSync(path), `${path} is missing; create it with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });
});
