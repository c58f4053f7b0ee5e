import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {getText, podsOf, startTestMesh} from './helpers/mesh.js';

/** The istio flavour's Envoy admin API (`:15000` analogue). */
describe('istio flavour Envoy admin API', () => {
  let mesh: RunningMesh;
  let admin: string;
  let pod: RunningMesh['pods'][number];

  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'istio', rps: 20});
    pod = podsOf(mesh, 'webapp')[0];
    admin = pod.sidecar.endpoints().admin!;
    await new Promise((resolve) => setTimeout(resolve, 800));
  });
  afterAll(() => mesh?.stop());

  it('describes the node in /server_info the way pilot-agent bootstraps it', async () => {
    const info = JSON.parse((await getText(`${admin}/server_info`)).text);
    expect(Object.keys(info)).toEqual(['version', 'state', 'uptime_current_epoch', 'uptime_all_epochs', 'hot_restart_version', 'command_line_options', 'node']);
    expect(info.state).toBe('LIVE');
    expect(info.uptime_current_epoch).toMatch(/^\d+s$/);
    expect(info.version.split('/')).toHaveLength(5);
    // Every pod has its own loopback address, which its admin port listens on.
    const podIp = new URL(admin).hostname;
    expect(podIp).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(podIp).not.toBe('127.0.0.1');
    expect(info.node.id).toBe(`sidecar~${podIp}~${pod.info.name}.booksapp~booksapp.svc.cluster.local`);
    expect(info.node.metadata.INSTANCE_IPS).toBe(podIp);
    expect(info.node.metadata).toMatchObject({
      NAME: pod.info.name,
      NAMESPACE: 'booksapp',
      WORKLOAD_NAME: 'webapp',
      SERVICE_ACCOUNT: 'webapp',
      LABELS: {app: 'webapp', 'service.istio.io/canonical-name': 'webapp'},
    });
    expect(info.node.metadata.ISTIO_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('answers /ready with the server state', async () => {
    expect(await getText(`${admin}/ready`)).toMatchObject({status: 200, text: 'LIVE\n'});
  });

  it.skipIf(!HAVE_SHARED_FIXTURES)('lists /clusters?format=json in the shape Envoy emits (uint64 as strings, zeros left out)', async () => {
    const real = JSON.parse(readSharedFixture('envoy/consul.clusters.json'));
    const ours = JSON.parse((await getText(`${admin}/clusters?format=json`)).text);
    const realCluster = real.cluster_statuses[0];
    const cluster = ours.cluster_statuses.find((c: {name: string}) => c.name === 'outbound|7002||books.booksapp.svc.cluster.local');
    expect(Object.keys(cluster)).toEqual(Object.keys(realCluster));
    const host = cluster.host_statuses[0];
    expect(Object.keys(host)).toEqual(Object.keys(realCluster.host_statuses[0]));
    expect(host.stats.map((s: {name: string}) => s.name)).toEqual(realCluster.host_statuses[0].stats.map((s: {name: string}) => s.name));
    const total = host.stats.find((s: {name: string}) => s.name === 'rq_total');
    expect(total.value).toMatch(/^[1-9]\d*$/);
    expect(host.stats.find((s: {name: string}) => s.name === 'rq_active').type).toBe('GAUGE');
    expect(host.stats.find((s: {name: string}) => s.name === 'cx_connect_fail')).toEqual({name: 'cx_connect_fail'});
  });

  it('lists /clusters as text, one `cluster::host::stat::value` per line', async () => {
    const text = (await getText(`${admin}/clusters`)).text;
    // Endpoints are the authors pods' own addresses; the application behind the inbound cluster is on 127.0.0.1.
    const authors = podsOf(mesh, 'authors').map((p) => p.info.ip.replaceAll('.', '\\.')).join('|');
    expect(text).toMatch(new RegExp(`^outbound\\|7001\\|\\|authors\\.booksapp\\.svc\\.cluster\\.local::(${authors}):\\d+::rq_total::\\d+$`, 'm'));
    expect(text).toMatch(new RegExp(`^outbound\\|7001\\|\\|authors\\.booksapp\\.svc\\.cluster\\.local::(${authors}):\\d+::health_flags::healthy$`, 'm'));
    expect(text).toMatch(/^inbound\|7000\|\|::127\.0\.0\.1:\d+::cx_active::\d+$/m);
  });

  it('computes quantiles in /stats?format=json', async () => {
    const stats = JSON.parse((await getText(`${admin}/stats?format=json`)).text).stats as Array<Record<string, unknown>>;
    const numbers = stats.filter((s) => 'value' in s);
    expect(numbers.find((s) => s.name === 'server.live')?.value).toBe(1);
    expect(numbers.some((s) => String(s.name).startsWith('istiocustom.istio_requests_total.reporter.destination.source_workload.traffic.'))).toBe(true);
    const histograms = stats.at(-1)!.histograms as {supported_quantiles: number[]; computed_quantiles: Array<{name: string; values: Array<{cumulative: unknown; interval: unknown}>}>};
    expect(histograms.supported_quantiles).toEqual([0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100]);
    const duration = histograms.computed_quantiles.find((h) => h.name.startsWith('istiocustom.istio_request_duration_milliseconds.'))!;
    expect(duration.values).toHaveLength(10);
    expect(Object.keys(duration.values[0])).toEqual(['cumulative', 'interval']);
  });

  it('filters /stats and rejects a bad type', async () => {
    const text = (await getText(`${admin}/stats?filter=^server\\.`)).text;
    expect(text.trim().split('\n').every((l) => l.startsWith('server.'))).toBe(true);
    expect((await getText(`${admin}/stats?type=Nope`)).status).toBe(400);
  });

  it('refuses GET on state-changing endpoints with Envoy\'s message', async () => {
    for (const path of ['/runtime_modify?a=b', '/logging', '/tap']) {
      expect(await getText(`${admin}${path}`)).toMatchObject({status: 405, text: 'Method GET not allowed, POST required.'});
    }
    const unknown = await getText(`${admin}/nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.text.startsWith('invalid path. admin commands are:')).toBe(true);
  });

  it('changes runtime values with /runtime_modify and shows every layer in /runtime', async () => {
    const runtime = async () => JSON.parse((await getText(`${admin}/runtime`)).text);
    const before = await runtime();
    expect(before.layers).toEqual(['deprecation', 'global config', 'admin']);
    expect(await getText(`${admin}/runtime_modify`, {method: 'POST'})).toMatchObject({status: 400});
    expect(await getText(`${admin}/runtime_modify?tracing.random_sampling=42`, {method: 'POST'})).toMatchObject({status: 200, text: 'OK\n'});
    expect((await runtime()).entries['tracing.random_sampling']).toEqual({final_value: '42', layer_values: ['', '', '42']});
    await getText(`${admin}/runtime_modify`, {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'tracing.random_sampling=7'});
    expect((await runtime()).entries['tracing.random_sampling'].final_value).toBe('7');
    await getText(`${admin}/runtime_modify?tracing.random_sampling=`, {method: 'POST'});
    expect((await runtime()).entries['tracing.random_sampling']).toBeUndefined();
  });

  it('lists and sets logger levels with POST /logging', async () => {
    const list = await getText(`${admin}/logging`, {method: 'POST'});
    expect(list.text).toMatch(/^active loggers:\n {2}admin: \w+\n/);
    expect((await getText(`${admin}/logging?level=debug`, {method: 'POST'})).text).toMatch(/^ {2}router: debug$/m);
    expect((await getText(`${admin}/logging?router=loud`, {method: 'POST'})).status).toBe(404);
  });
});
