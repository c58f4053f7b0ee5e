import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {depths, sleep, startTracedDemo, waterfallRows, type SpanRecord, type TracedDemo} from './trace-demo-helpers.js';

const KEYS = ['tracing.random_sampling', 'tracing.global_enabled', 'tracing.client_enabled'];
/** Longest a span of a finished request can take to reach the collector: the demo exporter flushes every second. */
const SETTLE_MS = 2500;
const QUIET_MS = 3000;
const RPS = 20;

interface RuntimeJson {
  layers: string[];
  entries: Record<string, {layer_values: string[]; final_value: string}>;
}

/**
 * The Istio flavour end to end: its sidecars decide sampling at the first proxy from Envoy's
 * runtime (the demo mesh is configured with 0 %), and the load generator starts no trace of its
 * own (--trace-share 0), so every span the collector receives is one the runtime let through.
 */
describe('trace enable|disable|status against the Istio demo', () => {
  let demo: TracedDemo;
  const admins = () => demo.state.pods.map((p) => ({name: p.name, admin: p.admin!}));
  const runtimeOf = async (admin: string) => (await (await fetch(`${admin}/runtime`)).json()) as RuntimeJson;
  const traceIds = (spans: SpanRecord[]) => new Set(spans.map((s) => s.trace_id));

  beforeAll(async () => {
    demo = await startTracedDemo('istio', ['--rps', String(RPS), '--trace-share', '0', '--seed', '11'], 110_000);
  }, 60_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('status agrees with each sidecar\'s /runtime and /config_dump before anything is changed, and the configured 0 % sends no span', async () => {
    const status = await demo.cli(['trace', 'status', '-o', 'json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toBe('');
    const rows = JSON.parse(status.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r.proxy).sort()).toEqual(admins().map((a) => a.name).sort());
    for (const {name, admin} of admins()) {
      const runtime = await runtimeOf(admin);
      const row = rows.find((r) => r.proxy === name)!;
      for (const key of KEYS) expect(runtime.entries[key], `${name} ${key}`).toBeUndefined();
      const workload = demo.state.pods.find((p) => p.name === name)!.workload;
      expect(row).toMatchObject({
        family: 'envoy',
        tracing: 'off',
        random_sampling_raw: null,
        random_sampling_percent: null,
        sampling_percent: 0,
        sampling_source: 'listeners',
        configured_random_sampling_percent: 0,
        configured_client_sampling_percent: 100,
        configured_overall_sampling_percent: 100,
        tracer: 'envoy.tracers.opentelemetry',
        collector_address: demo.collector.url,
        collector_protocol: 'otlp/http',
        collector_service_name: `${workload}.booksapp`,
        config_error: null,
        error: null,
      });
    }
    // What status says is what the sidecars do: requests flow, no span arrives.
    await sleep(QUIET_MS);
    expect(demo.spans()).toEqual([]);
  }, 20_000);

  it('enable --sampling 100: spans from every hop arrive, nested as the requests travelled', async () => {
    const enable = await demo.cli(['trace', 'enable', '--sampling', '100']);
    expect(enable.code, enable.stderr).toBe(0);
    expect(enable.stdout.trim().split('\n').slice(1).every((line) => / changed$/.test(line))).toBe(true);

    // status against /runtime, read directly from every sidecar.
    const status = JSON.parse((await demo.cli(['trace', 'status', '-o', 'json'])).stdout) as Record<string, unknown>[];
    for (const {name, admin} of admins()) {
      const runtime = await runtimeOf(admin);
      const adminLayer = runtime.layers.indexOf('admin');
      const row = status.find((r) => r.proxy === name)!;
      for (const key of KEYS) {
        expect(runtime.entries[key].layer_values[adminLayer]).toBe('100');
        expect(row[`${key.slice('tracing.'.length)}_raw`]).toBe(runtime.entries[key].final_value);
        expect(row[`${key.slice('tracing.'.length)}_percent`]).toBe(100);
      }
      expect(row).toMatchObject({tracing: 'on', random_sampling_layer: 'admin', sampling_percent: 100, sampling_source: 'runtime', configured_random_sampling_percent: 0});
    }

    const started = demo.spans().length;
    await demo.collector.waitFor(() => demo.spans().length > started + 50, 15_000);
    await sleep(SETTLE_MS);
    const spans = demo.spans().slice(started);
    const byTrace = new Map<string, SpanRecord[]>();
    for (const span of spans) byTrace.set(span.trace_id, [...(byTrace.get(span.trace_id) ?? []), span]);
    // A request that went traffic → webapp → books → authors: every sidecar on the way reported.
    const hops = ['traffic.booksapp', 'webapp.booksapp', 'books.booksapp', 'authors.booksapp'];
    const full = [...byTrace.values()].find((t) => t.some((s) => s.parent_span_id === null) && hops.every((service) => t.some((s) => s.service === service)));
    expect(full, `no trace through every hop among ${byTrace.size}`).toBeDefined();
    const trace = full!;
    const byId = new Map(trace.map((s) => [s.span_id, s]));
    const roots = trace.filter((s) => s.parent_span_id === null);
    expect(roots.map((s) => [s.service, s.kind])).toEqual([['traffic.booksapp', 'CLIENT']]);
    for (const span of trace) {
      if (span.parent_span_id === null) continue;
      const parent = byId.get(span.parent_span_id);
      expect(parent, `parent of ${span.service} ${span.kind}`).toBeDefined();
      // The callee's inbound sidecar continues the caller's outbound span; the application
      // passes the context on, so its own calls continue its inbound span.
      if (span.kind === 'SERVER') expect([parent!.kind, parent!.service === span.service]).toEqual(['CLIENT', false]);
      else expect([span.kind, parent!.kind, parent!.service]).toEqual(['CLIENT', 'SERVER', span.service]);
    }

    // The waterfall `trace show` draws for it nests every span at its depth.
    const show = await runCli(['trace', 'show', demo.savePath, trace[0].trace_id], {env: {COLUMNS: '200'}});
    expect(show.code, show.stderr).toBe(0);
    const drawn = waterfallRows(show.stdout).map((r) => `${r.depth} ${r.service.slice(0, 9)} ${r.kind}`).sort();
    const depthOf = depths(trace);
    const expected = trace.map((s) => `${depthOf.get(s.span_id)} ${s.service.slice(0, 9)} ${s.kind === 'SERVER' ? 'srv' : 'cli'}`).sort();
    expect(drawn).toEqual(expected);
    // traffic → webapp → books at least: two sidecars per hop.
    expect(Math.max(...[...depthOf.values()].map((d) => d ?? -1))).toBeGreaterThanOrEqual(3);

    // Every request is traced now: about RPS × QUIET_MS new traces (the same window disable is measured over).
    const before = demo.spans().length;
    await sleep(QUIET_MS);
    expect(traceIds(demo.spans().slice(before)).size).toBeGreaterThanOrEqual((RPS * QUIET_MS) / 1000 / 2);
  }, 40_000);

  it('a second enable changes nothing', async () => {
    const again = await demo.cli(['trace', 'enable', '--sampling', '100', '-o', 'json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as {result: string}[]).map((r) => r.result)).toEqual(admins().map(() => 'unchanged'));
  });

  it('disable removes the overrides: back to the mesh\'s configured 0 %, so no new trace', async () => {
    const disable = await demo.cli(['trace', 'disable']);
    expect(disable.code, disable.stderr).toBe(0);
    for (const {admin} of admins()) {
      const runtime = await runtimeOf(admin);
      for (const key of KEYS) expect(runtime.entries[key]).toBeUndefined();
    }
    const status = JSON.parse((await demo.cli(['trace', 'status', '-o', 'json'])).stdout) as {tracing: string; sampling_source: string}[];
    expect(status.map((r) => [r.tracing, r.sampling_source])).toEqual(admins().map(() => ['off', 'listeners']));

    // The demo mesh is configured with 0 % sampling (the load generator starts no trace in
    // this flavour): once spans of requests already in flight have been flushed, none arrive.
    await sleep(SETTLE_MS);
    const before = demo.spans().length;
    await sleep(QUIET_MS);
    expect(demo.spans().slice(before)).toEqual([]);
  }, 20_000);

  it('enable --sampling 0: no new trace at all', async () => {
    const off = await demo.cli(['trace', 'enable', '--sampling', '0']);
    expect(off.code, off.stderr).toBe(0);
    await sleep(SETTLE_MS);
    const before = demo.spans().length;
    await sleep(QUIET_MS);
    expect(demo.spans().slice(before)).toEqual([]);
  }, 20_000);
});
