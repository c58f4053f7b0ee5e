import {describe, it} from 'vitest';
import {makeChalk} from '../../src/render/color.js';
import {edgeRecord, renderEdgesTable} from '../../src/render/edges.js';
import {renderJson, renderYaml} from '../../src/render/records.js';
import type {EdgeEnd, EdgeRow} from '../../src/views/edges.js';
import {expectGolden} from '../helpers/golden.js';

/**
 * Golden files for the tabular and record formats of `meshctl topology` (the graph, DOT and
 * Mermaid drawings have theirs in test/render/topology). A cyclic graph (a→b→c→a, a self-call)
 * and one with names too long for 80 columns. UPDATE_GOLDEN=1 regenerates.
 */
const end = (name: string, namespace: string | null = 'shop', kind: EdgeEnd['kind'] = 'workload'): EdgeEnd => ({id: `${namespace ?? ''}/${name}`, name, namespace, kind});
const edge = (src: EdgeEnd, dst: EdgeEnd, rps: number | null, success: number | null, p99: number | null, secured: boolean | null, measuredBy: EdgeRow['measuredBy'] = 'both'): EdgeRow => ({
  src, dst, rps, success, requests: rps === null ? 0 : Math.round(rps * 10), latencyMsP99: p99, openConnections: 2, secured, measuredBy,
});

const [a, b, c] = [end('alpha'), end('beta'), end('gamma')];
const cyclic: EdgeRow[] = [
  edge(a, b, 12.5, 0.999, 45, true),
  edge(b, c, 3.2, 0.9, 120, true),
  edge(c, a, 0.04, 1, 8, false, 'client'),
  edge(a, a, 1, 1, 2, true),
  edge(end('unknown', null, 'unknown'), a, 2, 0.5, 9000, null, 'server'),
];
const long = 'recommendation-engine-with-a-very-long-deployment-name';
const wide: EdgeRow[] = [
  edge(end('storefront-gateway', 'edge'), end(long, 'catalogue-and-search'), 120, 0.999, 40, true),
  edge(end(long, 'catalogue-and-search'), end('api.payments.example.com:443', null, 'external'), 3, 1, 300, false, 'client'),
];

describe('topology tabular formats', () => {
  const plain = makeChalk(false);
  for (const [name, rows] of [['cyclic', cyclic], ['wide', wide]] as const) {
    it(`${name}: table`, () => expectGolden(`edges_${name}_table`, `${renderEdgesTable(rows, false, plain)}\n`));
    it(`${name}: wide`, () => expectGolden(`edges_${name}_wide`, `${renderEdgesTable(rows, true, plain)}\n`));
    it(`${name}: json`, () => expectGolden(`edges_${name}_json`, renderJson(rows.map(edgeRecord))));
    it(`${name}: yaml`, () => expectGolden(`edges_${name}_yaml`, renderYaml(rows.map(edgeRecord))));
  }
});
