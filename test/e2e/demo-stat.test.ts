import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {TruthSnapshot} from '../../src/demo/truth.js';
import {demoHome, processesMentioning, readDemoState} from './demo-helpers.js';

interface StatRow {
  name: string;
  namespace: string;
  kind: string;
  success: number | null;
  rps: number | null;
  latency_ms_p50: number | null;
  tcp_open_connections: number | null;
}

/** What the applications themselves saw between two /truth readings, as each server received it. */
function truthPerWorkload(before: TruthSnapshot, after: TruthSnapshot): Map<string, {rps: number; success: number}> {
  const seconds = (after.read_at_ms - before.read_at_ms) / 1000;
  const count = (t: TruthSnapshot, destination: string, ok?: boolean) =>
    t.hops.filter((h) => h.destination === destination && (ok === undefined || (h.status > 0 && h.status < 500) === ok)).reduce((n, h) => n + h.count, 0);
  const out = new Map<string, {rps: number; success: number}>();
  for (const workload of ['webapp', 'books', 'authors']) {
    const total = count(after, workload) - count(before, workload);
    const ok = count(after, workload, true) - count(before, workload, true);
    out.set(workload, {rps: total / seconds, success: ok / total});
  }
  return out;
}

/**
 * `meshctl stat` against the demo, held against the ground truth. Tolerance: stat measures over
 * its own 5 s window (between its two scrapes), which lies inside the truth window (taken just
 * before starting and just after the CLI exits, so about 0.5–1 s longer). At a fixed request
 * schedule the rates differ by at most a request or two at each edge: allowed |Δrps| ≤
 * max(15 %, 1 rps). Success rates differ only through the failures falling in the extra
 * second: allowed |Δsuccess| ≤ 0.05. This needs `meshctl stat` (built by another part).
 */
describe.each(['linkerd', 'istio'] as const)('meshctl stat against the %s demo', (flavor) => {
  const h = demoHome();
  let rows: StatRow[];
  let truth: Map<string, {rps: number; success: number}>;
  let statOutput = '';

  beforeAll(async () => {
    const up = await h.cli(['demo', 'up', '--flavor', flavor, '--rps', '20', '--error-rate', '0.2', '--seed', '5']);
    if (up.code !== 0) throw new Error(`demo up failed: ${up.stderr}`);
    const control = readDemoState(h.dir)!.controlUrl;
    const read = async () => (await (await fetch(`${control}/truth`)).json()) as TruthSnapshot;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = await read();
    const stat = await h.cli(['stat', '-t', '5s', '-o', 'json'], 30_000);
    const after = await read();
    statOutput = `${stat.stdout}\n${stat.stderr}`;
    truth = truthPerWorkload(before, after);
    rows = stat.code === 0 ? (JSON.parse(stat.stdout) as StatRow[]) : [];
  }, 60_000);

  afterAll(async () => {
    await h.cli(['demo', 'down']);
    for (const pid of processesMentioning(h.dir)) process.kill(pid, 'SIGKILL');
  });

  it('shows every workload of the demo', () => {
    expect(rows.map((r) => r.name).sort(), statOutput).toEqual(['authors', 'books', 'traffic', 'webapp']);
    expect(rows.every((r) => r.namespace === 'booksapp' && r.kind === 'workload')).toBe(true);
  });

  it.each(['webapp', 'books', 'authors'])('matches the ground truth for %s', (workload) => {
    const row = rows.find((r) => r.name === workload);
    const expected = truth.get(workload)!;
    expect(row, statOutput).toBeDefined();
    expect(Math.abs(row!.rps! - expected.rps), `rps ${row!.rps} vs ${expected.rps}`).toBeLessThanOrEqual(Math.max(0.15 * expected.rps, 1));
    expect(Math.abs(row!.success! - expected.success), `success ${row!.success} vs ${expected.success}`).toBeLessThanOrEqual(0.05);
  });
});
