import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {fakeLinkerd, linkerdEnv} from '../helpers/fake-proxies.js';
import type {ListenOptions, TestServer} from '../helpers/servers.js';
import {fakeEnvoyRuntime, type FakeEnvoyRuntime, type FakeEnvoyRuntimeSpec} from '../tracing/toggles/helpers/fake-envoy-runtime.js';

const FRACTION_05 = '{"numerator":50,"denominator":"TEN_THOUSAND"}';

const open: TestServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function envoy(spec: FakeEnvoyRuntimeSpec, listen?: ListenOptions): Promise<FakeEnvoyRuntime> {
  const fake = await fakeEnvoyRuntime(spec, listen);
  open.push(fake.server);
  return fake;
}

async function linkerd(pod: string, version: string, collector: string | null): Promise<TestServer> {
  const env: Record<string, string> = linkerdEnv(pod, 'shop', pod.split('-')[0]);
  if (collector) {
    env.LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR = collector;
    env.LINKERD2_PROXY_TRACE_PROTOCOL = 'opentelemetry';
    env.LINKERD2_PROXY_TRACE_SERVICE_NAME = pod.split('-')[0];
  }
  const server = await fakeLinkerd({env, metrics: () => `proxy_build_info{version="${version}",git_sha="abc",profile="release",vendor="linkerd"} 1\nprocess_start_time_seconds 1\n`});
  open.push(server);
  return server;
}

const posts = (fake: FakeEnvoyRuntime) => fake.seen.filter((r) => r.method === 'POST');
const lines = (text: string) => text.trimEnd().split('\n').map((l) => l.trim().split(/\s{3,}/));
const proxyFlags = (named: Record<string, {url: string}>) => Object.entries(named).flatMap(([name, s]) => ['-p', `${name}=${s.url}`]);

describe('trace enable on Envoy proxies', () => {
  it('writes the three keys once, reads them back, and a second run sends nothing', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'});
    const webapp = await envoy({pod: 'webapp-7c4d9f8b6-q2w3e', workload: 'webapp'});
    const flags = proxyFlags({books, webapp});

    const first = await runCli(['trace', 'enable', ...flags]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'BEFORE', 'AFTER', 'RESULT'],
      ['books', 'envoy', 'default', '100%', 'changed'],
      ['webapp', 'envoy', 'default', '100%', 'changed'],
    ]);
    for (const fake of [books, webapp]) {
      expect(posts(fake).map((r) => r.path)).toEqual(['/runtime_modify']);
      expect(posts(fake)[0].params).toEqual([['tracing.random_sampling', '100'], ['tracing.global_enabled', '100'], ['tracing.client_enabled', '100']]);
      expect(fake.overrides()).toEqual({'tracing.random_sampling': '100', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'});
      // Read before and read back after the write.
      expect(fake.seen.filter((r) => r.path === '/runtime').length).toBe(2);
    }

    const second = await runCli(['trace', 'enable', '--sampling', '100', ...flags]);
    expect(second.code).toBe(0);
    expect(lines(second.stdout).slice(1)).toEqual([
      ['books', 'envoy', '100%', '100%', 'unchanged'],
      ['webapp', 'envoy', '100%', '100%', 'unchanged'],
    ]);
    expect(posts(books)).toHaveLength(1);
    expect(posts(webapp)).toHaveLength(1);
  });

  it('sends a sub-percent rate as a FractionalPercent and reports it as a number in JSON', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books', layers: [{name: 'static', values: {'tracing.random_sampling': '100', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'}}, {name: 'admin', admin: true}]});
    const result = await runCli(['trace', 'enable', '--sampling', '0.5', '-o', 'json', ...proxyFlags({books})]);
    expect(result.code).toBe(0);
    // Only the rate differs from what the static layer already applies.
    expect(posts(books)[0].params).toEqual([['tracing.random_sampling', FRACTION_05]]);
    const [record] = JSON.parse(result.stdout);
    expect(record).toMatchObject({
      proxy: 'books',
      family: 'envoy',
      workload: 'books',
      namespace: 'shop',
      result: 'changed',
      reason: null,
      dry_run: false,
      random_sampling_percent_before: 100,
      random_sampling_raw_before: '100',
      random_sampling_layer_before: 'static',
      random_sampling_percent_after: 0.5,
      random_sampling_raw_after: FRACTION_05,
      random_sampling_layer_after: 'admin',
      global_enabled_percent_after: 100,
      writes: `tracing.random_sampling=${FRACTION_05}`,
    });

    const again = await runCli(['trace', 'enable', '--sampling', '0.50', '-o', 'yaml', ...proxyFlags({books})]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('result: unchanged');
    expect(again.stdout).toContain('random_sampling_percent_after: 0.5');
    expect(posts(books)).toHaveLength(1);
  });

  it('with --dry-run shows what would change and sends nothing', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'});
    const result = await runCli(['trace', 'enable', '--dry-run', '--sampling', '0.0125', ...proxyFlags({books})]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'BEFORE', 'WOULD BE', 'RESULT'],
      ['books', 'envoy', 'default', '0.0125%', 'would change'],
    ]);
    expect(result.stderr).toContain('dry run: nothing was sent to any proxy');
    expect(posts(books)).toEqual([]);
    expect(books.overrides()).toEqual({});

    const json = await runCli(['trace', 'enable', '--dry-run', '--sampling', '0.0125', '-o', 'json', ...proxyFlags({books})]);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({result: 'would-change', dry_run: true, random_sampling_percent_after: 0.0125, writes: expect.stringContaining('{"numerator":125,"denominator":"MILLION"}')});
    expect(posts(books)).toEqual([]);
  });

  it('acts only on the proxies the TARGET names', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'});
    const webapp = await envoy({pod: 'webapp-7c4d9f8b6-q2w3e', workload: 'webapp'});
    const result = await runCli(['trace', 'enable', 'deploy/webapp', ...proxyFlags({books, webapp})]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(1).map((row) => row[0])).toEqual(['webapp']);
    expect(posts(books)).toEqual([]);
    expect(posts(webapp)).toHaveLength(1);

    const none = await runCli(['trace', 'enable', 'deploy/nothing', ...proxyFlags({books, webapp})]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('meshctl: no proxy matches deploy/nothing');
  });
});

describe('trace disable on Envoy proxies', () => {
  it('deletes the admin-layer overrides, restoring the static value, and a second run sends nothing', async () => {
    const books = await envoy({
      pod: 'books-5d9f8c6b57-x2kqp',
      workload: 'books',
      layers: [{name: 'global config', values: {'tracing.random_sampling': '3'}}, {name: 'admin', admin: true, values: {'tracing.random_sampling': '100', 'tracing.global_enabled': '100'}}],
    });
    const first = await runCli(['trace', 'disable', ...proxyFlags({books})]);
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'BEFORE', 'AFTER', 'RESULT'],
      ['books', 'envoy', '100%', '3%', 'changed'],
    ]);
    expect(posts(books)[0].params).toEqual([['tracing.random_sampling', ''], ['tracing.global_enabled', '']]);
    expect(books.overrides()).toEqual({});

    const second = await runCli(['trace', 'disable', ...proxyFlags({books})]);
    expect(second.code).toBe(0);
    expect(lines(second.stdout)[1]).toEqual(['books', 'envoy', '3%', '3%', 'unchanged']);
    expect(posts(books)).toHaveLength(1);
  });
});

describe('trace enable when some proxies refuse', () => {
  it('changes the others, lists which failed and why, and exits 3', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'});
    const noAdminLayer = await envoy({pod: 'authors-6f7b8c9d5-a1b2c', workload: 'authors', layers: [{name: 'static', values: {}}]});
    const redirected = await envoy({pod: 'webapp-7c4d9f8b6-q2w3e', workload: 'webapp', redirectModify: true});
    const result = await runCli(['trace', 'enable', ...proxyFlags({books, authors: noAdminLayer, webapp: redirected}), '-p', 'gone=127.0.0.1:9']);
    expect(result.code).toBe(3);
    const rows = Object.fromEntries(lines(result.stdout).slice(1).map((row) => [row[0], row]));
    expect(rows.books).toEqual(['books', 'envoy', 'default', '100%', 'changed']);
    expect(rows.authors.slice(0, 4)).toEqual(['authors', 'envoy', 'default', 'default']);
    expect(rows.authors[4]).toMatch(/^failed: the bootstrap has no admin runtime layer, so \/runtime_modify can change nothing/);
    expect(rows.webapp[4]).toMatch(/^failed: refused as not a POST \(HTTP 400: Invalid request; POST required\)/);
    expect(rows.gone[4]).toMatch(/^failed: unreachable/);
    expect(books.overrides()).toEqual({'tracing.random_sampling': '100', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'});
    expect(redirected.overrides()).toEqual({});
  });

  it('exits 1 when no proxy could be changed', async () => {
    const noAdminLayer = await envoy({pod: 'authors-6f7b8c9d5-a1b2c', workload: 'authors', layers: [{name: 'static'}]});
    const result = await runCli(['trace', 'enable', '-o', 'json', ...proxyFlags({authors: noAdminLayer})]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({result: 'failed', reason: expect.stringContaining('no admin runtime layer')});
  });

  it('explains a metrics-only port (no admin URL) instead of writing to it', async (ctx) => {
    let metricsOnly: FakeEnvoyRuntime;
    try {
      // The port number is what marks a target as metrics-only; a less used loopback address keeps it free.
      metricsOnly = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'}, {host: '127.0.0.77', port: 15090});
    } catch (error) {
      console.warn(`[trace-toggle] cannot listen on 127.0.0.77:15090 (${String(error)}): metrics-only port test SKIPPED`);
      return ctx.skip();
    }
    const result = await runCli(['trace', 'enable', '-p', 'books=127.0.0.77:15090']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed: no admin URL: this target is a metrics-only port \(:15090\/:15020\); set `admin:` for it in the context/);
    expect(posts(metricsOnly)).toEqual([]);
  });
});

describe('trace enable and status on Linkerd proxies', () => {
  it('reports each collector from /env.json in status', async () => {
    const books = await linkerd('books-5d9f8c6b57-x2kqp', 'v2.294.0', 'collector.tracing:4317');
    const webapp = await linkerd('webapp-7c4d9f8b6-q2w3e', 'v2.326.0', null);
    let envReads = 0;
    books.server.on('request', (req) => (envReads += req.url?.startsWith('/env.json') ? 1 : 0));
    const table = await runCli(['trace', 'status', ...proxyFlags({books, webapp})]);
    expect(table.code).toBe(0);
    // Identity and collector settings come from the same single read of /env.json.
    expect(envReads).toBe(1);
    expect(lines(table.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'TRACING', 'SAMPLING', 'SOURCE', 'COLLECTOR'],
      ['books', 'linkerd', 'on', 'caller decides', 'env.json', 'collector.tracing:4317 (opentelemetry, service books)'],
      ['webapp', 'linkerd', 'off', '-', 'env.json', 'none'],
    ]);
    const json = await runCli(['trace', 'status', '-o', 'json', ...proxyFlags({books})]);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({
      proxy: 'books',
      family: 'linkerd',
      version: 'v2.294.0',
      tracing: 'on',
      random_sampling_percent: null,
      collector_address: 'collector.tracing:4317',
      collector_protocol: 'opentelemetry',
      collector_service_name: 'books',
      error: null,
    });
  });

  it('explains instead of switching, with its own exit code', async () => {
    const books = await linkerd('books-5d9f8c6b57-x2kqp', 'v2.294.0', null);
    const result = await runCli(['trace', 'enable', ...proxyFlags({books})]);
    expect(result.code).toBe(4);
    expect(lines(result.stdout)[1]).toEqual(['books', 'linkerd', 'collector none', '-', 'unsupported']);
    expect(result.stderr).toContain('linkerd2-proxy cannot switch span emission at runtime');
    expect(result.stderr).toContain('config.linkerd.io/trace-collector: COLLECTOR_HOST:PORT');
    expect(result.stderr).toContain('kubectl rollout restart deploy/books -n shop');
  });

  it('with a mix, changes the Envoy proxies, explains Linkerd once, and exits 3', async () => {
    const books = await linkerd('books-5d9f8c6b57-x2kqp', 'v2.326.0', null);
    const authors = await linkerd('authors-6f7b8c9d5-a1b2c', 'v2.326.0', null);
    const webapp = await envoy({pod: 'webapp-7c4d9f8b6-q2w3e', workload: 'webapp'});
    const result = await runCli(['trace', 'enable', ...proxyFlags({books, authors, webapp})]);
    expect(result.code).toBe(3);
    expect(lines(result.stdout).slice(1).map((row) => [row[0], row.at(-1)])).toEqual([
      ['books', 'unsupported'],
      ['authors', 'unsupported'],
      ['webapp', 'changed'],
    ]);
    expect(result.stderr.match(/cannot switch span emission/g)).toHaveLength(1);
    expect(result.stderr).toContain('2 Linkerd proxies were left unchanged');
    expect(result.stderr).toContain('--set proxy.tracing.collector.endpoint=COLLECTOR_HOST:PORT');
    expect(webapp.overrides()['tracing.random_sampling']).toBe('100');
  });
});

describe('trace status on Envoy proxies', () => {
  it('agrees with /runtime, layer by layer', async () => {
    const books = await envoy({
      pod: 'books-5d9f8c6b57-x2kqp',
      workload: 'books',
      layers: [{name: 'global config', values: {'tracing.random_sampling': '0.5', 'tracing.client_enabled': '0'}}, {name: 'admin', admin: true, values: {'tracing.global_enabled': '{"numerator": 25}'}}],
    });
    const fresh = await envoy({pod: 'webapp-7c4d9f8b6-q2w3e', workload: 'webapp'});
    const table = await runCli(['trace', 'status', ...proxyFlags({books, webapp: fresh})]);
    expect(table.code).toBe(0);
    // 0.5 is floored to 0 by Envoy: no new traces.
    expect(lines(table.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'TRACING', 'SAMPLING', 'SOURCE', 'COLLECTOR'],
      ['books', 'envoy', 'off', '0%, global 25%, client off', 'runtime layer "global config"', '-'],
      ['webapp', 'envoy', 'default', 'default', 'bootstrap', '-'],
    ]);
    const json = await runCli(['trace', 'status', '-o', 'json', ...proxyFlags({books})]);
    const runtime = books.runtimeJson().entries;
    expect(JSON.parse(json.stdout)[0]).toMatchObject({
      tracing: 'off',
      random_sampling_raw: runtime['tracing.random_sampling'].final_value,
      random_sampling_percent: 0,
      random_sampling_layer: 'global config',
      global_enabled_raw: runtime['tracing.global_enabled'].final_value,
      global_enabled_percent: 25,
      global_enabled_layer: 'admin',
      client_enabled_percent: 0,
    });
    expect(posts(books)).toEqual([]);
  });

  it('shows unreadable proxies with the reason and exits 3', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'});
    const result = await runCli(['trace', 'status', ...proxyFlags({books}), '-p', 'gone=127.0.0.1:9']);
    expect(result.code).toBe(3);
    const rows = lines(result.stdout);
    expect(rows[0]).toEqual(['PROXY', 'FAMILY', 'TRACING', 'SAMPLING', 'SOURCE', 'COLLECTOR', 'ERROR']);
    expect(rows.find((r) => r[0] === 'gone')?.slice(1, 3)).toEqual(['-', 'n-a']);
    expect(rows.find((r) => r[0] === 'gone')?.at(-1)).toMatch(/^unreachable/);
  });

  it('strips terminal control sequences a proxy puts in its layer names', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books', layers: [{name: 'evil\u001b[2J\u001b]0;owned\u0007', values: {'tracing.random_sampling': '7'}}, {name: 'admin', admin: true}]});
    const result = await runCli(['trace', 'status', ...proxyFlags({books})]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0007\u001b]/);
    expect(result.stdout).toContain('7%');
  });
});

describe('trace enable flags', () => {
  it.each([['101'], ['-1'], ['0.00001'], ['half']])('refuses --sampling %s with a usage error before touching any proxy', async (value) => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'});
    const result = await runCli(['trace', 'enable', `--sampling=${value}`, ...proxyFlags({books})]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^meshctl: .*--sampling/);
    expect(books.seen).toEqual([]);
  });

  it('refuses -n with -A', async () => {
    const result = await runCli(['trace', 'status', '-n', 'a', '-A', '-p', '127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('use either -n or -A, not both');
  });
});
