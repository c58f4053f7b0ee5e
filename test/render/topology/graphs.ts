import fc from 'fast-check';
import {Chalk} from 'chalk';
import type {TopologyEdge, TopologyGraph, TopologyNode} from '../../../src/model/topology.js';
import {readOwnFixture} from '../../helpers/fixtures.js';

/** Hand-made graphs under test/fixtures/topology, and random ones for property tests. */

export function loadGraph(name: string): TopologyGraph {
  return JSON.parse(readOwnFixture(`topology/${name}.json`)) as TopologyGraph;
}

export const plainChalk = new Chalk({level: 0});
export const colorChalk = new Chalk({level: 1});

const figure = (max: number) => fc.option(fc.double({min: 0, max, noNaN: true}), {nil: null, freq: 4});

/**
 * Random graphs of up to nine nodes with short distinct ASCII names (never cut by the
 * renderer), any edges among them including self-loops, duplicates and cycles, and any mix of
 * known and unknown figures.
 */
export const arbitraryGraph: fc.Arbitrary<TopologyGraph> = fc
  .integer({min: 1, max: 9})
  .chain((count) =>
    fc.record({
      nodes: fc.tuple(
        ...Array.from({length: count}, (_, i) =>
          fc.record({
            suffix: fc.stringMatching(/^[a-z-]{0,6}$/),
            namespace: fc.constantFrom(null, 'prod', 'shop'),
            kind: fc.constantFrom<TopologyNode['kind']>('workload', 'workload', 'ingress', 'external', 'unknown'),
          }).map(({suffix, namespace, kind}): TopologyNode => ({id: `id-${i}`, name: `n${i}${suffix}`, namespace, kind})),
        ),
      ),
      edges: fc.array(
        fc.record({
          from: fc.integer({min: 0, max: count - 1}),
          to: fc.integer({min: 0, max: count - 1}),
          rps: figure(5000),
          success: figure(1),
          latencyMsP99: figure(20_000),
          secured: fc.constantFrom(true, false, null),
          measuredBy: fc.constantFrom<TopologyEdge['measuredBy']>('client', 'server', 'both'),
        }).map((e): TopologyEdge => ({...e, from: `id-${e.from}`, to: `id-${e.to}`})),
        {maxLength: 14},
      ),
    }),
  );

/** The same graph with nodes and edges in another order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** `from -> to` by node name for every edge, sorted: what a reader of the output should find. */
export function expectedEdges(graph: TopologyGraph): string[] {
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
  return graph.edges.map((e) => `${name(e.from)} -> ${name(e.to)}`).sort();
}
