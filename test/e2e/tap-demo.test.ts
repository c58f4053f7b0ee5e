import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {templatePath} from '../../src/views/route-template.js';
import {WEBAPP} from '../../src/demo/topology.js';
import {podsOf, sleep, startTestMesh} from '../demo/helpers/mesh.js';
import {startCli} from '../helpers/cli.js';
import {demoContexts, runCalls, trafficClient, truthDelta} from '../live/wiring/demo-mesh.js';

interface TapRecord {
  proxy: string;
  direction: string | null;
  source: string | null;
  source_address: string | null;
  destination: string | null;
  method: string;
  authority: string;
  path: string;
  status: number | null;
  observed_at_ms: number;
}

const records = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as TapRecord);

/** The workload in a named side (`booksapp/books` → books); anything else is kept, so a mismatch shows. */
const workloadIn = (peer: string | null) => (peer?.startsWith('booksapp/') ? peer.slice('booksapp/'.length) : String(peer));

describe('tap against the demo mesh (Istio flavour)', () => {
  let mesh: RunningMesh;
  let config: string;

  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'istio', rps: 30, errorRate: 0.2, seed: 11});
    config = demoContexts(mesh);
  }, 30_000);
  afterAll(() => mesh?.stop());

  it('a proxy another client is tapping is reported; the other webapp pod is tapped', async () => {
    const [held, free] = podsOf(mesh, 'webapp');
    const other = new AbortController();
    try {
      const hold = await fetch(`${held.sidecar.endpoints().admin}/tap`, {
        method: 'POST',
        body: JSON.stringify({config_id: 'meshctl', tap_config: {match: {any_match: true}, output_config: {sinks: [{streaming_admin: {}}]}}}),
        signal: other.signal,
      });
      expect(hold.status).toBe(200);
      const cli = startCli(['tap', 'deploy/webapp', '-o', 'json', '--count', '5'], {env: {MESHCTL_CONFIG: config}});
      const {code} = await cli.exited;
      expect(code).toBe(3);
      expect(cli.stderr()).toContain(`error: ${held.info.name}: another client is already tapping this proxy (Envoy allows one /tap stream at a time)`);
      const shown = records(cli.stdout());
      expect(shown).toHaveLength(5);
      expect(new Set(shown.map((r) => r.proxy))).toEqual(new Set([free.info.name]));
    } finally {
      other.abort();
    }
  });

  // An exact window: the load generator is stopped (quiesce) and the test makes the calls
  // itself, through the traffic pod's sidecar, as the generator would, counting them in the
  // same ground truth. /truth is read while nothing is in flight, before the first call and
  // after the last answer. Events are assigned to the window by when meshctl decoded them,
  // on the same wall clock as the readings.
  it('the events counted over a window match /truth for that window, hop by hop, route by route', async () => {
    await mesh.quiesce();
    const client = trafficClient(mesh);
    const cli = startCli(['tap', 'deploy/webapp', '-o', 'json'], {env: {MESHCTL_CONFIG: config}, timeoutMs: 40_000});
    try {
      const pods = podsOf(mesh, 'webapp').map((p) => p.info.name);
      // Probe until both webapp sidecars are streaming.
      const deadline = Date.now() + 10_000;
      while (!pods.every((pod) => cli.stdout().includes(`"proxy":"${pod}"`)) && Date.now() < deadline) {
        await client.call(WEBAPP, 'GET', '/');
        await sleep(100);
      }
      await sleep(700);
      const beforeMs = Date.now();
      const before = mesh.truth.snapshot();
      await runCalls(client, 150, 8);
      await sleep(300);
      const after = mesh.truth.snapshot();
      // Events wait up to half a second to be put in time order across proxies.
      await sleep(1000);
      cli.child.kill('SIGINT');
      expect((await cli.exited).code).toBe(130);

      const inWindow = records(cli.stdout()).filter((r) => r.observed_at_ms >= beforeMs);
      const tapped = new Map<string, number>();
      for (const r of inWindow) {
        // Both sides as meshctl named them: inbound callers from their pod IPs, outbound callees from the service authority.
        const [source, destination] = [workloadIn(r.source), workloadIn(r.destination)];
        const key = `${source}|${destination}|${r.method} ${templatePath(r.path)}|${r.status ?? 0}`;
        tapped.set(key, (tapped.get(key) ?? 0) + 1);
      }
      const touchesWebapp = (key: string) => key.split('|').slice(0, 2).includes('webapp');
      const truth = new Map([...truthDelta(before, after)].filter(([key]) => touchesWebapp(key)));
      expect([...truth.values()].reduce((a, b) => a + b, 0), 'calls in the window').toBeGreaterThan(250);
      expect(inWindow.every((r) => r.direction === 'inbound' || r.direction === 'outbound')).toBe(true);
      // The demo's topology: only the traffic pods call webapp, each from its own pod address.
      const trafficIps = new Set(podsOf(mesh, 'traffic').map((p) => p.info.ip));
      const inbound = inWindow.filter((r) => r.direction === 'inbound');
      expect(inbound.length).toBeGreaterThan(100);
      expect(inbound.every((r) => trafficIps.has(r.source_address?.replace(/:\d+$/, '') ?? ''))).toBe(true);
      expect(tapped).toEqual(truth);
    } finally {
      client.close();
    }
  }, 40_000);
});

describe('tap against the demo mesh (Linkerd flavour)', () => {
  let mesh: RunningMesh;
  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'linkerd', rps: 5});
  }, 30_000);
  afterAll(() => mesh?.stop());

  it('explains in one message why Linkerd proxies cannot be tapped, and what to use (exit 4)', async () => {
    const cli = startCli(['tap'], {env: {MESHCTL_CONFIG: demoContexts(mesh)}});
    const {code} = await cli.exited;
    expect(code).toBe(4);
    const names = mesh.pods.map((p) => p.info.name).join(', ');
    expect(cli.stderr()).toBe(
      `error: ${names}: Linkerd proxies cannot be tapped through their admin port; live tap on port 4190 accepts only the linkerd-viz tap service's mTLS identity\n` +
        '  use `meshctl top` (built from per-second metric deltas on Linkerd) or `linkerd viz tap`\n',
    );
    expect(cli.stdout()).toBe('');
  });
});
