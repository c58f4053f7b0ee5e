import {afterEach, describe, expect, it} from 'vitest';
import {startCli, waitFor} from '../helpers/cli.js';
import {linkerdInbound} from '../helpers/exposition.js';
import {fakeLinkerd, linkerdEnv} from '../helpers/fake-proxies.js';
import {startServer, type TestServer} from '../helpers/servers.js';
import {BUSY_MESSAGE, fakeTapEnvoy, type FakeTapEnvoy} from '../live/wiring/fake-tap-envoy.js';
import {bufferedTrace} from '../live/wiring/traces.js';

/** How `meshctl tap` fails: per proxy, with the rest still tapped, never hanging. */
const servers: TestServer[] = [];
const aborts: AbortController[] = [];
afterEach(async () => {
  aborts.splice(0).forEach((a) => a.abort());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function envoy(pod: string, workload: string): Promise<FakeTapEnvoy> {
  const server = await fakeTapEnvoy({pod, workload, namespace: 'shop'});
  servers.push(server);
  return server;
}

async function linkerd(pod: string): Promise<TestServer> {
  const server = await fakeLinkerd({env: linkerdEnv(pod, 'shop'), metrics: () => linkerdInbound([{status: '200', byBucket: {10: 5}}], 1, 1_700_000_000)});
  servers.push(server);
  return server;
}

const name = (server: TestServer) => server.url.replace('http://', '');

describe('tap refusals and drops', () => {
  it('a proxy another client is tapping is reported; the others are tapped (exit 3)', async () => {
    const busy = await envoy('reviews-5d9f8c6b57-aaaaa', 'reviews');
    const free = await envoy('ratings-5d9f8c6b57-bbbbb', 'ratings');
    // Another client holds busy's only /tap stream.
    const other = new AbortController();
    aborts.push(other);
    const held = await fetch(`${busy.url}/tap`, {method: 'POST', body: JSON.stringify({config_id: 'meshctl', tap_config: {}}), signal: other.signal});
    expect(held.status).toBe(200);

    const cli = startCli(['tap', '--count', '1', '-p', `${busy.url},${free.url}`]);
    await free.whenAttached();
    free.emit(bufferedTrace({path: '/ratings/1', startMs: Date.now(), latencyMs: 1}));
    const {code} = await cli.exited;
    expect(code).toBe(3);
    expect(cli.stdout()).toMatch(/^req id=1:0 .*:path=\/ratings\/1$/m);
    expect(cli.stderr()).toContain(`error: ${name(busy)}: another client is already tapping this proxy (Envoy allows one /tap stream at a time)\n`);
    expect(cli.stderr()).toContain('  stop the other tap');
    // The other client's stream was left alone.
    expect(busy.attached()).toBe(true);
    expect(BUSY_MESSAGE).toBe('An attached /tap admin stream already exists. Detach it.');
  });

  it('a proxy that drops mid-stream is reported while the others go on', async () => {
    const a = await envoy('reviews-5d9f8c6b57-ccccc', 'reviews');
    const b = await envoy('ratings-5d9f8c6b57-ddddd', 'ratings');
    const cli = startCli(['tap', '-o', 'json', '--count', '2', '-p', `${a.url},${b.url}`]);
    await Promise.all([a.whenAttached(), b.whenAttached()]);
    a.emit(bufferedTrace({path: '/a/0', startMs: Date.now(), latencyMs: 1}));
    await waitFor(() => cli.stdout().includes('/a/0'), 5000, 'the first event');
    a.drop();
    await waitFor(() => cli.stderr().includes(name(a)), 5000, 'the drop to be reported');
    b.emit(bufferedTrace({path: '/b/0', startMs: Date.now(), latencyMs: 1}));
    const {code} = await cli.exited;
    expect(code).toBe(3);
    expect(cli.stdout().trim().split('\n').map((l) => JSON.parse(l).path)).toEqual(['/a/0', '/b/0']);
    expect(cli.stderr()).toMatch(new RegExp(`error: proxy ${name(a)}: the tap stream broke \\(connection lost`));
  });

  it('when every stream ends, tap stops and says so', async () => {
    const a = await envoy('reviews-5d9f8c6b57-eeeee', 'reviews');
    const cli = startCli(['tap', '-p', a.url]);
    await a.whenAttached();
    a.emit(bufferedTrace({path: '/a/0', startMs: Date.now(), latencyMs: 1}));
    await waitFor(() => cli.stdout().includes('/a/0'), 5000, 'the first event');
    a.drop();
    const {code} = await cli.exited;
    expect(code).toBe(3);
    expect(cli.stderr()).toMatch(/tap: 1 request shown from 1 proxy in .* \(every tap stream ended\)/);
  });

  it('exits promptly with the reasons when no proxy can be tapped', async () => {
    const busy = await envoy('reviews-5d9f8c6b57-fffff', 'reviews');
    const other = new AbortController();
    aborts.push(other);
    await fetch(`${busy.url}/tap`, {method: 'POST', body: '{"config_id":"meshctl"}', signal: other.signal});
    const unreachable = await startServer(() => {});
    await unreachable.close();
    const cli = startCli(['tap', '--timeout', '2s', '-p', `${busy.url},${unreachable.url}`]);
    const {code} = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stderr()).toContain(`error: proxy ${name(unreachable)}: unreachable`);
    expect(cli.stderr()).toContain(`error: ${name(busy)}: another client is already tapping this proxy`);
    expect(cli.stdout()).toBe('');
  });

  it('a proxy without a /tap handler (no tap filter) is explained', async () => {
    const plain = await startServer((req, res) => {
      if (req.url === '/stats/prometheus') return res.end('# TYPE envoy_server_uptime gauge\nenvoy_server_uptime 10\n');
      if (req.url === '/server_info') return res.end('{}');
      res.writeHead(404).end('invalid path. admin commands are:\n  /: Admin home page\n');
    });
    servers.push(plain);
    const cli = startCli(['tap', '-p', plain.url]);
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toMatch(/: the admin endpoint has no \/tap handler \(no tap filter is configured on this proxy\)\n  add the tap filter with config_id "meshctl"/);
  });

  it('Ctrl-C closes every stream promptly and exits 130', async () => {
    const a = await envoy('reviews-5d9f8c6b57-ggggg', 'reviews');
    const b = await envoy('ratings-5d9f8c6b57-hhhhh', 'ratings');
    const cli = startCli(['tap', '-p', `${a.url},${b.url}`]);
    await Promise.all([a.whenAttached(), b.whenAttached()]);
    const sentAt = Date.now();
    cli.child.kill('SIGINT');
    const {code} = await cli.exited;
    expect(code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(1500);
    await Promise.all([a.whenDetached(2000), b.whenDetached(2000)]);
    expect(cli.stderr()).toMatch(/tap: 0 requests shown from 2 proxies in .* \(interrupted\)/);
  });
});

describe('tap into a closed pipe', () => {
  it('stops quietly when the reader goes away (meshctl tap | head)', async () => {
    const a = await envoy('reviews-5d9f8c6b57-jjjjj', 'reviews');
    const cli = startCli(['tap', '-p', a.url]);
    await a.whenAttached();
    a.emit(bufferedTrace({path: '/first', startMs: Date.now(), latencyMs: 1}));
    await waitFor(() => cli.stdout().includes('/first'), 5000, 'the first event');
    cli.child.stdout!.destroy();
    for (let i = 0; i < 20 && cli.child.exitCode === null; i++) {
      a.emit(bufferedTrace({path: `/more/${i}`, startMs: Date.now(), latencyMs: 1}));
      await new Promise((r) => setTimeout(r, 50));
    }
    const {code} = await cli.exited;
    expect(code).toBe(0);
    expect(cli.stderr()).toMatch(/^tap: \d+ requests? shown from 1 proxy in .* \(output closed\)\n$/);
    await a.whenDetached();
  });
});

describe('tap into a slow reader', () => {
  // On Linux, writes to a pipe block the process, so a reader that stops reading holds
  // meshctl (and, through TCP, the proxy's stream) until it reads again.
  it('loses nothing while stdout is not being read, and goes on when it is', async () => {
    const a = await envoy('reviews-5d9f8c6b57-kkkkk', 'reviews');
    const cli = startCli(['tap', '-o', 'json', '--count', '3000', '-p', a.url]);
    await a.whenAttached();
    cli.child.stdout!.pause();
    const t0 = Date.now();
    const body = 'x'.repeat(900);
    for (let i = 0; i < 3000; i++) a.emit(bufferedTrace({path: `/r/${i}`, startMs: t0 + i / 10, latencyMs: 1, responseBody: body}));
    await new Promise((r) => setTimeout(r, 1500));
    expect(cli.child.exitCode).toBeNull();
    cli.child.stdout!.resume();
    expect((await cli.exited).code).toBe(0);
    const paths = cli.stdout().trim().split('\n').map((line) => JSON.parse(line).path);
    expect(paths).toEqual(Array.from({length: 3000}, (_, i) => `/r/${i}`));
  }, 20_000);
});

describe('tap on Linkerd', () => {
  it('explains once, for every Linkerd proxy, why and what to use instead (exit 4)', async () => {
    const a = await linkerd('web-7d9f8c6b5-x2kqp');
    const b = await linkerd('web-7d9f8c6b5-q8wzt');
    const cli = startCli(['tap', '-p', `${a.url},${b.url}`]);
    const {code} = await cli.exited;
    expect(code).toBe(4);
    expect(cli.stderr()).toBe(
      `error: ${name(a)}, ${name(b)}: Linkerd proxies cannot be tapped through their admin port; live tap on port 4190 accepts only the linkerd-viz tap service's mTLS identity\n` +
        '  use `meshctl top` (built from per-second metric deltas on Linkerd) or `linkerd viz tap`\n',
    );
    expect(cli.stdout()).toBe('');
  });

  it('with a mix, taps the Envoy proxies and says which Linkerd ones were skipped (exit 3)', async () => {
    const l5d = await linkerd('web-7d9f8c6b5-x2kqp');
    const env = await envoy('books-5d9f8c6b57-iiiii', 'books');
    const cli = startCli(['tap', '--count', '1', '-p', `${l5d.url},${env.url}`]);
    await env.whenAttached();
    env.emit(bufferedTrace({path: '/books/1', startMs: Date.now(), latencyMs: 1}));
    const {code} = await cli.exited;
    expect(code).toBe(3);
    expect(cli.stderr()).toContain(`error: ${name(l5d)}: Linkerd proxies cannot be tapped through their admin port`);
    expect(cli.stdout()).toMatch(/^req id=1:0 .*:path=\/books\/1$/m);
  });
});
