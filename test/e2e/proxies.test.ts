import {createServer as createNetServer} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {istioInbound, linkerdInbound} from '../helpers/exposition.js';
import {fakeEnvoy, fakeLinkerd, istioServerInfo, linkerdEnv} from '../helpers/fake-proxies.js';
import type {TestServer} from '../helpers/servers.js';

describe('meshctl proxies', () => {
  let linkerd: TestServer;
  let envoy: TestServer;
  let notReady: TestServer;
  let closed: number;
  const start = Math.floor(Date.now() / 1000) - 7200;

  beforeAll(async () => {
    linkerd = await fakeLinkerd({env: {...linkerdEnv('books-5d9f8c6b57-x2kqp', 'shop', 'books'), LINKERD2_PROXY_INBOUND_IPS: '10.244.1.17,fd00:10:244:1::11'}, metrics: () => `${linkerdInbound([{status: '200', byBucket: {5: 1}}], 1, start)}proxy_build_info{version="v2.294.0",git_sha="abc",profile="release",vendor="linkerd"} 1\n`});
    envoy = await fakeEnvoy({stats: () => istioInbound('reviews-v1', 'shop', [{status: '200', byBucket: {5: 1}}], 1, 90), serverInfo: istioServerInfo('reviews-v1-545db77b95-xz7kq', 'shop', 'reviews-v1')});
    notReady = await fakeLinkerd({env: null, ready: false, metrics: () => linkerdInbound([], 1, start)});
    const server = createNetServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closed = (server.address() as {port: number}).port;
    await new Promise<void>((r) => server.close(() => r()));
  });

  afterAll(async () => {
    await Promise.all([linkerd, envoy, notReady].map((s) => s.close()));
  });

  it('lists dialect, version, readiness, identity and uptime, and why a proxy could not be read', async () => {
    const proxies = ['-p', `books=${linkerd.url}`, '-p', `reviews=${envoy.url}`, '-p', `old-7d9f8c6b5-q8wzt=${notReady.url}`, '-p', `gone=127.0.0.1:${closed}`];
    const result = await runCli(['proxies', '-o', 'json', '--timeout', '2s', ...proxies]);
    expect(result.code).toBe(3);
    const byName = Object.fromEntries(JSON.parse(result.stdout).map((r: {name: string}) => [r.name, r]));
    expect(byName.books).toMatchObject({dialect: 'linkerd', version: 'v2.294.0', ready: true, workload: 'books', namespace: 'shop', pod: 'books-5d9f8c6b57-x2kqp', pod_ip: '10.244.1.17', service_account: 'books', identity_source: 'env.json', error: null});
    expect(byName.books.uptime_seconds).toBeGreaterThanOrEqual(7200);
    expect(byName.books.uptime_seconds).toBeLessThan(7300);
    expect(byName.reviews).toMatchObject({dialect: 'envoy', version: '1.29.1', ready: true, workload: 'reviews-v1', namespace: 'shop', identity_source: 'server_info', pod_ip: '10.0.0.7', uptime_seconds: 90});
    expect(byName['old-7d9f8c6b5-q8wzt']).toMatchObject({ready: false, workload: 'old', identity_source: 'target'});
    expect(byName['old-7d9f8c6b5-q8wzt'].notes).toMatch(/older than Linkerd 2.12/);
    expect(byName.gone.error).toMatch(/refused/);

    const table = await runCli(['proxies', '--timeout', '2s', ...proxies]);
    expect(table.code).toBe(3);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['NAME', 'DIALECT', 'VERSION', 'READY', 'WORKLOAD', 'NAMESPACE', 'UPTIME', 'ERROR']);
    expect(lines.find((l) => l.startsWith('books'))).toMatch(/^books\s+linkerd\s+v2\.294\.0\s+yes\s+books\s+shop\s+2h(\dm)?$/);
    expect(lines.find((l) => l.startsWith('gone'))).toMatch(/unreachable: connection refused/);

    const wide = await runCli(['proxies', '-o', 'wide', '--timeout', '2s', ...proxies]);
    const wideLines = wide.stdout.trimEnd().split('\n');
    expect(wideLines[0].split(/\s+/).slice(7, 9)).toEqual(['POD', 'POD_IP']);
    expect(wideLines.find((l) => l.startsWith('books'))).toMatch(/\sbooks-5d9f8c6b57-x2kqp\s+10\.244\.1\.17\s+env\.json\s/);
    expect(wideLines.find((l) => l.startsWith('reviews'))).toMatch(/\sreviews-v1-545db77b95-xz7kq\s+10\.0\.0\.7\s+server_info\s/);
  });
});
