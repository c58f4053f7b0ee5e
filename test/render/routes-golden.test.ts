import {describe, it} from 'vitest';
import {makeChalk} from '../../src/render/color.js';
import {renderJson, renderYaml} from '../../src/render/records.js';
import {renderRoutesTable, routeRecords} from '../../src/render/routes.js';
import type {RouteRow} from '../../src/views/routes.js';
import type {GoldenSignals} from '../../src/views/signals.js';
import {expectGolden} from '../helpers/golden.js';

/**
 * Golden files for every output format of `meshctl routes` (UPDATE_GOLDEN=1 to regenerate).
 * The rows are hand-made so the files pin the layout, not a measurement.
 */
const signals = (requests: number, success: number | null, rps: number | null, p50: number, p99: number): GoldenSignals => ({
  requests,
  successes: success === null ? 0 : Math.round(requests * success),
  success,
  rps,
  p50: {value: p50, lower: 10, upper: 20},
  p95: {value: p99 * 0.9, lower: 50, upper: 100},
  p99: {value: p99, lower: 50, upper: 100},
});

const workload = {name: 'webapp', namespace: 'booksapp'};
const rows: RouteRow[] = [
  {
    workload, direction: 'outbound', source: 'gateway-api', service: 'books:7002', route: 'books-get', kind: 'HTTPRoute',
    effective: signals(720, 0.8776, 7.22, 26, 333), actual: {success: 0.81, rps: 7.9}, timeouts: 0.004, retries: 0.086,
    backends: [
      {backend: 'books:7002', signals: signals(633, 1, 6.33, 14, 83), timeouts: 0},
      {backend: 'error-injector:8080', signals: signals(88, 0, 0.88, 12, 25), timeouts: 0.02},
    ],
    windowSeconds: 10,
  },
  {
    workload, direction: 'outbound', source: 'serviceprofile', service: 'authors.booksapp.svc.cluster.local:7001', route: 'GET /authors/{id}.json', kind: 'ServiceProfile',
    effective: signals(50, 1, 5, 3, 9.5), actual: null, timeouts: null, retries: null, backends: [], windowSeconds: 10,
  },
  {
    workload, direction: 'outbound', source: 'serviceprofile', service: 'authors.booksapp.svc.cluster.local:7001', route: null, kind: null,
    effective: {requests: 0, successes: 0, success: null, rps: 0, p50: null, p95: null, p99: null}, actual: null, timeouts: null, retries: null, backends: [], windowSeconds: 10,
  },
  {
    workload, direction: 'outbound', source: 'envoy-route', service: 'evil\u001b[31m.example:80', route: 'bad\u202eroute', kind: 'route',
    effective: signals(3, 1, 0.3, 1, 2), actual: null, timeouts: null, retries: null, backends: [], windowSeconds: 10,
  },
];

describe('routes output formats', () => {
  const plain = makeChalk(false);
  it('table', () => expectGolden('routes_table', `${renderRoutesTable(rows, false, plain)}\n`));
  it('wide', () => expectGolden('routes_wide', `${renderRoutesTable(rows, true, plain)}\n`));
  it('json', () => expectGolden('routes_json', renderJson(rows.flatMap(routeRecords))));
  it('yaml', () => expectGolden('routes_yaml', renderYaml(rows.flatMap(routeRecords))));
});
