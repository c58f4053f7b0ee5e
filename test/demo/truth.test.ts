import {describe, expect, it} from 'vitest';
import {ControlServer} from '../../src/demo/control.js';
import {TruthRecorder} from '../../src/demo/truth.js';
import {getText} from './helpers/mesh.js';

describe('ground truth', () => {
  it('counts calls per hop and status with latency buckets', () => {
    const truth = new TruthRecorder();
    const key = {source: 'webapp', destination: 'books', method: 'GET', route: 'GET /books/{id}', status: 200};
    for (const ms of [0.5, 3, 3, 700]) truth.recordCall(key, ms);
    truth.recordCall({...key, status: 500}, 12);
    const hops = truth.snapshot().hops;
    expect(hops).toHaveLength(2);
    const ok = hops.find((h) => h.status === 200)!;
    expect(ok.count).toBe(4);
    expect(ok.latency_ms_sum).toBeCloseTo(706.5);
    const at = (le: number | '+Inf') => ok.latency_ms_buckets.cumulative[ok.latency_ms_buckets.le.indexOf(le)];
    expect([at(1), at(5), at(500), at(1000), at('+Inf')]).toEqual([1, 3, 3, 4, 4]);
  });

  it('is served as JSON on the control port, with the time of the reading', async () => {
    const truth = new TruthRecorder();
    truth.recordCall({source: 'traffic', destination: 'webapp', method: 'GET', route: 'GET /', status: 200}, 5);
    const mesh = {truth, options: {}, pods: [], mtls: true, exporter: {stats: {}}} as unknown as ConstructorParameters<typeof ControlServer>[0];
    const control = new ControlServer(mesh);
    const url = await control.start();
    try {
      const before = Date.now();
      const res = await getText(`${url}/truth`);
      const body = JSON.parse(res.text);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(body.hops[0]).toMatchObject({source: 'traffic', destination: 'webapp', count: 1});
      expect(body.read_at_ms).toBeGreaterThanOrEqual(before - 1);
      expect(new Date(body.read_at).getTime()).toBe(Math.floor(body.read_at_ms));
      expect((await getText(`${url}/truth`, {method: 'POST'})).status).toBe(405);
      expect((await getText(`${url}/other`)).status).toBe(404);
    } finally {
      await control.close();
    }
  });
});
