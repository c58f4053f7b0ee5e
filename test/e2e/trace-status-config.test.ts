import {afterEach, describe, expect, it} from 'vitest';
import type {ConfigDump} from '../../src/demo/flavors/istio/config-dump-query.js';
import {runCli} from '../helpers/cli.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {expectGolden} from '../helpers/golden.js';
import type {TestServer} from '../helpers/servers.js';
import {fakeEnvoyRuntime, type FakeEnvoyRuntime, type FakeEnvoyRuntimeSpec} from '../tracing/toggles/helpers/fake-envoy-runtime.js';

const open: TestServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function envoy(spec: FakeEnvoyRuntimeSpec): Promise<FakeEnvoyRuntime> {
  const fake = await fakeEnvoyRuntime(spec);
  open.push(fake.server);
  return fake;
}

const capture = (name: string) => JSON.parse(readSharedFixture(`envoy/${name}`)) as ConfigDump;
const proxyFlags = (named: Record<string, {url: string}>) => Object.entries(named).flatMap(([name, s]) => ['-p', `${name}=${s.url}`]);
const lines = (text: string) => text.trimEnd().split('\n').map((l) => l.trim().split(/\s{3,}/));
const configReads = (fake: FakeEnvoyRuntime) => fake.seen.filter((r) => r.path === '/config_dump').map((r) => r.params.map(([k, v]) => `${k}=${v}`).join('&'));

/** Three loopback Envoy admins, each serving one real capture as its /config_dump. */
async function captured(): Promise<Record<string, FakeEnvoyRuntime>> {
  return {
    ratings: await envoy({pod: 'ratings-v1-5d9f8c6b57-x2kqp', workload: 'ratings', configDump: capture('istio-sidecar.config_dump.json')}),
    waypoint: await envoy({pod: 'waypoint-7c4d9f8b6-q2w3e', workload: 'waypoint', configDump: capture('istio-waypoint.config_dump.include_eds.json')}),
    consul: await envoy({pod: 'static-server-6d4f8c-abcde', workload: 'static-server', configDump: capture('consul.config_dump.include_eds.json')}),
  };
}

describe.skipIf(!HAVE_SHARED_FIXTURES)('trace status over real /config_dump captures', () => {
  it('reads each proxy\'s configured sampling and tracer, asking only for listeners and the bootstrap tracer', async () => {
    const proxies = await captured();
    const result = await runCli(['trace', 'status', '-o', 'json', ...proxyFlags(proxies)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const rows = Object.fromEntries((JSON.parse(result.stdout) as Record<string, unknown>[]).map((r) => [r.proxy, r]));
    // ratings: inbound_0.0.0.0_9080 has random_sampling {value: 1}; no provider, and the
    // capture holds no bootstrap, so the tracer it falls back to stays unknown.
    expect(rows.ratings).toMatchObject({
      tracing: 'on',
      sampling_percent: 1,
      sampling_source: 'listeners',
      configured_random_sampling_percent: 1,
      configured_client_sampling_percent: 100,
      configured_overall_sampling_percent: 100,
      http_managers: 2,
      http_managers_traced: 1,
      http_managers_without_tracer: 0,
      tracer: null,
      collector_address: null,
      config_error: null,
    });
    // waypoint: three inbound managers at {value: 100}, the static agent listener untraced;
    // its bootstrap has no tracing, so no tracer: decisions are made, no span is sent.
    expect(rows.waypoint).toMatchObject({tracing: 'off', sampling_percent: 100, configured_random_sampling_percent: 100, http_managers: 4, http_managers_traced: 3, http_managers_without_tracer: 3, tracer: null});
    // consul: `random_sampling: {}` is 0 %.
    expect(rows.consul).toMatchObject({tracing: 'off', sampling_percent: 0, configured_random_sampling_percent: 0, configured_client_sampling_percent: 100, http_managers: 1, http_managers_traced: 1});

    expect(configReads(proxies.ratings)).toEqual(['resource=static_listeners', 'resource=dynamic_listeners', 'mask=bootstrap.tracing']);
    for (const fake of Object.values(proxies)) expect(fake.seen.some((r) => r.path === '/config_dump' && r.params.length === 0)).toBe(false);
  });

  it('a runtime override wins over the configured rate, and says so; -o wide shows both', async () => {
    const ratings = await envoy({
      pod: 'ratings-v1-5d9f8c6b57-x2kqp',
      workload: 'ratings',
      configDump: capture('istio-sidecar.config_dump.json'),
      layers: [{name: 'global config'}, {name: 'admin', admin: true, values: {'tracing.random_sampling': '{"numerator":50,"denominator":"TEN_THOUSAND"}'}}],
    });
    const wide = await runCli(['trace', 'status', '-o', 'wide', ...proxyFlags({ratings})]);
    expect(wide.code, wide.stderr).toBe(0);
    expect(lines(wide.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'TRACING', 'SAMPLING', 'SOURCE', 'CONFIGURED', 'RUNTIME', 'LISTENERS', 'COLLECTOR'],
      ['ratings', 'envoy', 'on', '0.5%', 'runtime layer "admin"', '1%', '0.5%', '1/2 traced', 'bootstrap tracer (not read)'],
    ]);
  });

  it('golden table, wide and json output', async () => {
    const proxies = await captured();
    for (const format of ['table', 'wide', 'json']) {
      const result = await runCli(['trace', 'status', '-o', format, ...proxyFlags(proxies)]);
      expect(result.code, result.stderr).toBe(0);
      // Ports are ephemeral: the URL field is the only thing that changes between runs.
      expectGolden(`trace_status_config_${format}`, result.stdout.replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://127.0.0.1:PORT'));
    }
  });
});

describe.skipIf(!HAVE_SHARED_FIXTURES)('trace enable|disable with the listeners\' configuration', () => {
  it('shows the configured rate the proxy goes back to, and warns when no tracer would send the spans', async () => {
    const {ratings, consul} = await captured();
    const flags = proxyFlags({ratings, consul});
    const enable = await runCli(['trace', 'enable', ...flags]);
    expect(enable.code, enable.stderr).toBe(0);
    expect(lines(enable.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'BEFORE', 'AFTER', 'RESULT'],
      ['ratings', 'envoy', '1%', '100%', 'changed'],
      ['consul', 'envoy', '0%', '100%', 'changed'],
    ]);
    // Consul's one traced listener has no provider and its bootstrap none either.
    expect(enable.stderr).toBe('note: proxy consul: its listeners configure no tracer, so it sends no span at any sampling rate (configure a tracing provider in the mesh)\n');
    const disable = await runCli(['trace', 'disable', '-o', 'json', ...flags]);
    expect(disable.code, disable.stderr).toBe(0);
    expect((JSON.parse(disable.stdout) as Record<string, unknown>[]).map((r) => [r.proxy, r.result, r.random_sampling_percent_after, r.configured_random_sampling_percent])).toEqual([
      ['ratings', 'changed', null, 1],
      ['consul', 'changed', null, 0],
    ]);
    const table = await runCli(['trace', 'enable', '--dry-run', ...proxyFlags({ratings})]);
    expect(lines(table.stdout)[1]).toEqual(['ratings', 'envoy', '1%', '100%', 'would change']);
  });
});

describe('trace status when /config_dump cannot be read', () => {
  it('without /config_dump: the runtime row, a note on stderr, exit 0', async () => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books'});
    const result = await runCli(['trace', 'status', ...proxyFlags({books})]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      ['PROXY', 'FAMILY', 'TRACING', 'SAMPLING', 'SOURCE', 'COLLECTOR'],
      ['books', 'envoy', 'default', 'default', 'bootstrap', '-'],
    ]);
    expect(result.stderr).toBe('note: proxy books: listener tracing configuration unknown, runtime values only: no /config_dump here (an admin port that does not serve it, or admin.allow_paths leaves it out)\n');
    const json = await runCli(['trace', 'status', '-o', 'json', ...proxyFlags({books})]);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({tracing: 'default', error: null, sampling_percent: null, config_error: expect.stringMatching(/^no \/config_dump here/)});
  });

  it.each([
    ['not JSON', '{"configs": [', /did not answer JSON/],
    ['JSON of another shape', '{"listeners": []}', /unexpected \/config_dump answer: no "configs" list/],
    // Valid JSON, but past the 16 MiB meshctl reads of a listener dump.
    ['17 MiB', `{"configs": [${' '.repeat(17 * 1024 * 1024)}]}`, /the listener configuration is larger than 16 MiB; not read/],
  ])('answering %s: the runtime row, a note saying so, exit 0', async (_what, body, reason) => {
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books', configDump: body, layers: [{name: 'admin', admin: true, values: {'tracing.random_sampling': '5'}}]});
    const result = await runCli(['trace', 'status', ...proxyFlags({books})]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[1]).toEqual(['books', 'envoy', 'on', '5%', 'runtime layer "admin"', '-']);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('text a proxy puts in its listener configuration cannot drive the terminal', async () => {
    const dump: ConfigDump = {
      configs: [
        {
          '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
          dynamic_listeners: [
            {
              name: 'l',
              active_state: {
                listener: {
                  name: 'l',
                  filter_chains: [
                    {
                      filters: [
                        {
                          typed_config: {
                            '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                            tracing: {random_sampling: {value: 3}, provider: {name: 'envoy.tracers.zipkin', typed_config: {collector_cluster: 'evil\u001b[2J\u001b]0;owned\u0007', collector_endpoint: '/x'}}},
                          },
                        },
                      ],
                    },
                  ],
                },
              },
            },
          ],
        },
      ],
    };
    const books = await envoy({pod: 'books-5d9f8c6b57-x2kqp', workload: 'books', configDump: dump});
    const result = await runCli(['trace', 'status', ...proxyFlags({books})]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0007\u001b]/);
    expect(result.stdout).toContain('3%');
  });
});
