import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import type {TruthSnapshot} from '../../src/demo/truth.js';
import {sleep, startTestMesh} from '../demo/helpers/mesh.js';
import {startCli, waitFor} from '../helpers/cli.js';
import {demoContexts, linkerdRouteName, runCalls, trafficClient, truthDelta} from '../live/wiring/demo-mesh.js';
import {HAVE_TMUX, noticeIfNoTmux, startInTmux} from '../helpers/tmux.js';

/**
 * `meshctl top` against the demo mesh. As in tap-demo.test.ts, the load generator is stopped
 * and the test makes its calls itself, through the traffic pod's sidecar, so /truth can be
 * read with nothing in flight: the rows must then be exactly the hops and routes the
 * applications called, with exactly their counts.
 */
noticeIfNoTmux();

/** `source|destination|route` → calls, summed over statuses, named by `routeName`. */
function expectedRows(before: TruthSnapshot, after: TruthSnapshot, routeName: (destination: string, route: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, count] of truthDelta(before, after)) {
    const [source, destination, route] = key.split('|');
    const row = `${source}|${destination}|${routeName(destination, route)}`;
    out.set(row, (out.get(row) ?? 0) + count);
  }
  return out;
}

const bare = (name: string | null) => (name ?? '').replace(/^booksapp\//, '');

/** The last NDJSON snapshot's mode and its rows as `source|destination|route` → count. */
function lastSnapshot(stdout: string): {mode: string; rows: Map<string, number>} {
  const lines = stdout.trim().split('\n');
  const snapshot = JSON.parse(lines[lines.length - 1]) as {mode: string; rows: {source: string; destination: string; route: string; count: number}[]};
  return {mode: snapshot.mode, rows: new Map(snapshot.rows.map((r) => [`${bare(r.source)}|${bare(r.destination)}|${r.route}`, r.count]))};
}

describe.skipIf(!HAVE_TMUX)('top in a real terminal against the demo (Istio flavour)', () => {
  let mesh: RunningMesh;
  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'istio', rps: 20, errorRate: 0.2, seed: 3});
    await mesh.quiesce();
  }, 30_000);
  afterAll(() => mesh?.stop());

  it('rows are the hops and routes the load generator drove, with their counts', async () => {
    const client = trafficClient(mesh);
    const tmux = startInTmux(['top', '--routes'], {columns: 170, rows: 30}, {MESHCTL_CONFIG: demoContexts(mesh)});
    try {
      const before = mesh.truth.snapshot();
      // The screen is mounted once every tap stream is open.
      await waitFor(() => tmux.screen()[0].startsWith('meshctl top · live requests (tap) · 5 targets'), 15_000, 'the top screen');
      await runCalls(client, 120, 6);
      await sleep(300);
      const after = mesh.truth.snapshot();
      const expected = expectedRows(before, after, (_destination, route) => route);
      const total = [...expected.values()].reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(200);

      // Copies of a hop wait up to a second for their partner; the screen redraws every 250 ms.
      const onScreen = () => {
        const rows = new Map<string, number>();
        for (const line of tmux.screen()) {
          const m = /^booksapp\/(\S+)\s+booksapp\/(\S+)\s+(\S+ \S+)\s+(\d+)\s/.exec(line);
          if (m) rows.set(`${m[1]}|${m[2]}|${m[3]}`, Number(m[4]));
        }
        return rows;
      };
      await waitFor(() => [...onScreen().values()].reduce((a, b) => a + b, 0) >= total, 10_000, 'every call on screen');
      await sleep(1500);
      expect(onScreen()).toEqual(expected);

      tmux.keys('q');
      await waitFor(() => tmux.exitCode() !== null, 5000, 'meshctl to exit on q');
      expect(tmux.exitCode()).toBe(0);
    } finally {
      client.close();
      tmux.kill();
    }
  }, 60_000);
});

describe('top on one workload of the demo (Istio flavour): the other side named from pod addresses', () => {
  let mesh: RunningMesh;
  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'istio', rps: 20, errorRate: 0.2, seed: 5});
    await mesh.quiesce();
  }, 30_000);
  afterAll(() => mesh?.stop());

  // Only webapp's sidecars are tapped: its callers (the traffic pods) and its callees (books,
  // authors) are not, so no copy of a hop can be joined and each side must be named from what
  // the trace itself holds: the caller's socket address, the callee's service authority.
  it('rows are exactly the hops touching webapp, callers and callees named as /truth names them', async () => {
    const client = trafficClient(mesh);
    const cli = startCli(['top', 'deploy/webapp', '--routes', '--interval', '300ms'], {env: {MESHCTL_CONFIG: demoContexts(mesh)}, timeoutMs: 40_000});
    try {
      await waitFor(() => cli.stdout().includes('\n'), 10_000, 'the first snapshot');
      await sleep(500);
      const before = mesh.truth.snapshot();
      await runCalls(client, 100, 6);
      await sleep(300);
      const after = mesh.truth.snapshot();
      const touchesWebapp = (row: string) => row.split('|').slice(0, 2).includes('webapp');
      const expected = new Map([...expectedRows(before, after, (_destination, route) => route)].filter(([row]) => touchesWebapp(row)));
      const total = [...expected.values()].reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(150);

      const lastRows = () => lastSnapshot(cli.stdout()).rows;
      await waitFor(() => [...lastRows().values()].reduce((a, b) => a + b, 0) >= total, 10_000, 'every call in a snapshot');
      await sleep(600);
      cli.child.kill('SIGINT');
      expect((await cli.exited).code).toBe(130);
      expect(lastRows()).toEqual(expected);
    } finally {
      client.close();
      cli.child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('top against the demo (Linkerd flavour): per-second metric deltas', () => {
  let mesh: RunningMesh;
  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'linkerd', rps: 20, errorRate: 0.2, seed: 3});
    await mesh.quiesce();
  }, 30_000);
  afterAll(() => mesh?.stop());

  it('rows per hop and route as the proxies name routes, with exactly the calls made', async () => {
    const client = trafficClient(mesh);
    const cli = startCli(['top', '--routes', '--interval', '500ms'], {env: {MESHCTL_CONFIG: demoContexts(mesh)}, timeoutMs: 40_000});
    try {
      // Deltas count from the first scrape after the table is made; the first snapshot follows it.
      await waitFor(() => cli.stdout().includes('\n'), 10_000, 'the first snapshot');
      await sleep(1500);
      const before = mesh.truth.snapshot();
      await runCalls(client, 120, 6);
      await sleep(300);
      const after = mesh.truth.snapshot();
      const expected = expectedRows(before, after, linkerdRouteName);
      const total = [...expected.values()].reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(200);

      const lastRows = () => lastSnapshot(cli.stdout());
      await waitFor(() => [...lastRows().rows.values()].reduce((a, b) => a + b, 0) >= total, 10_000, 'every call in a snapshot');
      await sleep(2500);
      cli.child.kill('SIGINT');
      expect((await cli.exited).code).toBe(130);
      const {mode, rows} = lastRows();
      expect(mode).toBe('metrics');
      expect(rows).toEqual(expected);
    } finally {
      client.close();
      cli.child.kill('SIGKILL');
    }
  }, 60_000);
});
