import {describe, it} from 'vitest';
import {makeChalk} from '../../src/render/color.js';
import {renderJson, renderYaml} from '../../src/render/records.js';
import {renderStatTable, statRecord} from '../../src/render/stat.js';
import type {StatRow} from '../../src/views/stat.js';
import {expectGolden} from '../helpers/golden.js';

/** Golden files for every output format of `meshctl stat` (UPDATE_GOLDEN=1 to regenerate). */
const base = {kind: 'workload', proxiesAnswered: 1, proxiesTargeted: 1, windowSeconds: 5, reset: false, readBytesPerSec: 1536.5, writeBytesPerSec: 20480, openConnections: 3} as const;
const rows: StatRow[] = [
  {...base, name: 'authors', namespace: 'booksapp', requests: 150, successes: 150, success: 1, rps: 30, p50: {value: 2.5, lower: 2, upper: 3}, p95: {value: 9.6, lower: 5, upper: 10}, p99: {value: 19.3, lower: 10, upper: 20}},
  {...base, name: 'books', namespace: 'booksapp', proxiesTargeted: 2, requests: 110, successes: 99, success: 0.9, rps: 22, p50: {value: 12, lower: 10, upper: 20}, p95: {value: 480, lower: 400, upper: 500}, p99: {value: 50000, lower: 50000, upper: Infinity}},
  {...base, name: 'traffic', namespace: 'booksapp', requests: 0, successes: 0, success: null, rps: 0, p50: null, p95: null, p99: null, openConnections: null, readBytesPerSec: null, writeBytesPerSec: null},
  {...base, name: 'webapp', namespace: 'other\u001b[2J', requests: 200, successes: 196, success: 0.98, rps: 0.02, p50: {value: 0.4, lower: 0, upper: 1}, p95: {value: 30, lower: 20, upper: 30}, p99: {value: 99, lower: 50, upper: 100}},
];

describe('stat output formats', () => {
  const options = {showNamespace: true, kindPrefix: false, chalk: makeChalk(false)};
  it('table', () => expectGolden('stat_table', `${renderStatTable(rows, {...options, wide: false})}\n`));
  it('wide', () => expectGolden('stat_wide', `${renderStatTable(rows, {...options, wide: true})}\n`));
  it('json', () => expectGolden('stat_json', renderJson(rows.map(statRecord))));
  it('yaml', () => expectGolden('stat_yaml', renderYaml(rows.map(statRecord))));
});
