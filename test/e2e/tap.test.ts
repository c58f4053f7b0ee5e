import {afterEach, describe, expect, it} from 'vitest';
import {startCli} from '../helpers/cli.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {fakeTapEnvoy, type FakeTapEnvoy} from '../live/wiring/fake-tap-envoy.js';
import {bufferedTrace, peerId} from '../live/wiring/traces.js';

/**
 * `meshctl tap` against loopback Envoy admin ports that stream traces the way Envoy does.
 * Every expectation is written from the traces the test emits, not from meshctl's code.
 */
const servers: FakeTapEnvoy[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function envoy(pod: string, workload: string, namespace = 'shop'): Promise<FakeTapEnvoy> {
  const server = await fakeTapEnvoy({pod, workload, namespace});
  servers.push(server);
  return server;
}

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

describe.skipIf(!HAVE_SHARED_FIXTURES)('tap over the real /tap capture', () => {
  it('prints req/rsp/end lines for the captured trace, streamed in pieces', async () => {
    const httpbin = await envoy('httpbin-5d9f8c6b57-x2kqp', 'httpbin');
    const cli = startCli(['tap', '--count', '1', '-p', httpbin.url]);
    await httpbin.whenAttached();
    httpbin.emit(readSharedFixture('envoy/envoy-admin-tap-stream.buffered-trace.json'), 7);
    const {code} = await cli.exited;
    // The capture: POST localhost:8080/post → 200, x-envoy-upstream-service-time 19, content-length 506,
    // no metadata-exchange headers and no connection addresses, so side and peers are unknown.
    expect(cli.stdout()).toBe(
      [
        'req id=0:0 proxy=?   :method=POST :authority=localhost:8080 :path=/post',
        'rsp id=0:0 proxy=?   :status=200 latency=19000µs',
        'end id=0:0 proxy=?   response-length=506B',
        '',
      ].join('\n'),
    );
    expect(cli.stderr()).toMatch(/^tap: 1 request shown from 1 proxy in .* \(--count 1 reached\)\n$/);
    expect(code).toBe(0);
    await httpbin.whenDetached();
  });
});

describe('tap output', () => {
  it('NDJSON: sides from metadata exchange, own workload on its side, proxies merged by request start', async () => {
    const web = await envoy('web-7d9f8c6b5-x2kqp', 'web');
    const books = await envoy('books-5d9f8c6b57-q8wzt', 'books');
    const cli = startCli(['tap', '-o', 'json', '--count', '2', '-p', `${web.url},${books.url}`]);
    await Promise.all([web.whenAttached(), books.whenAttached()]);
    // Request times near now: events wait up to half a second for the slower proxy.
    const t0 = Date.now();
    // web calls books: web's outbound trace carries web's own id on the request and books' on the response.
    web.emit(bufferedTrace({path: '/books/2', startMs: t0 + 50, latencyMs: 12.5, requestHeaders: [peerId(web.nodeId)], responseHeaders: [peerId(books.nodeId)]}));
    // books' inbound trace of an earlier request arrives later: the request carries web's id.
    books.emit(bufferedTrace({path: '/books/1', startMs: t0, latencyMs: 3, requestHeaders: [peerId(web.nodeId)]}));
    const {code} = await cli.exited;
    expect(code).toBe(0);
    const records = cli.stdout().trim().split('\n').map((line) => JSON.parse(line));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      id: '1:0',
      proxy: books.url.replace('http://', ''),
      direction: 'inbound',
      source: 'shop/web',
      destination: 'shop/books',
      method: 'GET',
      authority: 'books.shop.svc.cluster.local:7002',
      path: '/books/1',
      status: 200,
      latency_ms: 3,
      latency_source: 'headers-received-time',
      response_bytes: 11,
      request_start_ms: t0,
      outcome: 'response',
    });
    expect(records[1]).toMatchObject({id: '0:0', direction: 'outbound', source: 'shop/web', destination: 'shop/books', path: '/books/2', latency_ms: 12.5, request_start_ms: t0 + 50});
  });

  it('--count stops after that many events across proxies and closes every stream', async () => {
    const a = await envoy('reviews-5d9f8c6b57-aaaaa', 'reviews');
    const b = await envoy('ratings-5d9f8c6b57-bbbbb', 'ratings');
    const cli = startCli(['tap', '-o', 'json', '--count', '3', '-p', `${a.url},${b.url}`]);
    await Promise.all([a.whenAttached(), b.whenAttached()]);
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) a.emit(bufferedTrace({path: `/a/${i}`, startMs: t0 + i * 10, latencyMs: 1}));
    for (let i = 0; i < 4; i++) b.emit(bufferedTrace({path: `/b/${i}`, startMs: t0 + i * 10 + 5, latencyMs: 1}));
    const {code} = await cli.exited;
    expect(code).toBe(0);
    const paths = cli.stdout().trim().split('\n').map((line) => JSON.parse(line).path);
    expect(paths).toEqual(['/a/0', '/b/0', '/a/1']);
    expect(cli.stderr()).toMatch(/tap: 3 requests shown of 8 matching from 2 proxies in .* \(--count 3 reached\)/);
    await Promise.all([a.whenDetached(), b.whenDetached()]);
  });

  it('--duration stops after that long and says how many were seen', async () => {
    const a = await envoy('reviews-5d9f8c6b57-ccccc', 'reviews');
    const cli = startCli(['tap', '--duration', '1s', '-p', a.url]);
    await a.whenAttached();
    const attachedAt = Date.now();
    a.emit(bufferedTrace({path: '/one', startMs: Date.now(), latencyMs: 1}));
    a.emit(bufferedTrace({path: '/two', startMs: Date.now(), latencyMs: 1}));
    const {code} = await cli.exited;
    const elapsed = Date.now() - attachedAt;
    expect(code).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    expect(cli.stdout().match(/^req /gm)).toHaveLength(2);
    expect(cli.stderr()).toMatch(/tap: 2 requests shown from 1 proxy in 1(\.\d)?s \(--duration 1s elapsed\)/);
    expect(a.attached()).toBe(false);
  });

  it('redacts authorization, cookies and token query values unless --show-secrets', async () => {
    const trace = bufferedTrace({
      path: '/books?access_token=abc123&page=2',
      startMs: T0,
      latencyMs: 1,
      requestHeaders: [
        ['authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig'],
        ['cookie', 'session=s3cr3t'],
        ['x-api-key', 'k-123'],
      ],
      responseHeaders: [['set-cookie', 'session=n3w']],
    });
    const run = async (extra: string[]) => {
      const a = await envoy('web-7d9f8c6b5-rrrrr', 'web');
      const cli = startCli(['tap', '-o', 'json', '--count', '1', ...extra, '-p', a.url]);
      await a.whenAttached();
      a.emit(trace);
      await cli.exited;
      return JSON.parse(cli.stdout());
    };
    const hidden = await run([]);
    const header = (pairs: string[][], name: string) => pairs.find(([n]) => n === name)?.[1];
    expect(hidden.path).toBe('/books?access_token=[redacted]&page=2');
    expect(header(hidden.request_headers, 'authorization')).toBe('[redacted]');
    expect(header(hidden.request_headers, 'cookie')).toBe('[redacted]');
    expect(header(hidden.request_headers, 'x-api-key')).toBe('[redacted]');
    expect(header(hidden.response_headers, 'set-cookie')).toBe('[redacted]');
    expect(header(hidden.request_headers, 'user-agent')).toBe('Go-http-client/1.1');
    expect(JSON.stringify(hidden)).not.toMatch(/abc123|s3cr3t|eyJhbGci|k-123|n3w/);

    const shown = await run(['--show-secrets']);
    expect(shown.path).toBe('/books?access_token=abc123&page=2');
    expect(header(shown.request_headers, 'authorization')).toBe('Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig');
    expect(header(shown.response_headers, 'set-cookie')).toBe('session=n3w');
  });

  it('strips terminal control sequences a proxy puts in paths and headers', async () => {
    const a = await envoy('web-7d9f8c6b5-sssss', 'web');
    const cli = startCli(['tap', '--count', '1', '-p', a.url]);
    await a.whenAttached();
    a.emit(bufferedTrace({path: '/x\u001b[2J\u001b]0;owned\u0007', authority: 'evil\u001b[31m', startMs: T0, latencyMs: 1}));
    await cli.exited;
    expect(cli.stdout()).not.toMatch(/\u001b|\u0007/);
    expect(cli.stdout()).toMatch(/:path=\/x/);
  });
});

describe('tap filters', () => {
  it('asks the proxy to match, and filters again on its side', async () => {
    const a = await envoy('web-7d9f8c6b5-fffff', 'web');
    const cli = startCli(['tap', '-o', 'json', '--duration', '1500ms', '--method', 'get', '--path', '/books', '--status', '5xx', '--min-latency', '10ms', '-p', a.url]);
    await a.whenAttached();
    const traces = [
      {path: '/books/1', status: 503, latencyMs: 25}, // matches
      {path: '/books/2', status: 200, latencyMs: 25}, // status
      {path: '/authors/1', status: 503, latencyMs: 25}, // path
      {path: '/books/3', status: 500, latencyMs: 5}, // latency
      {path: '/books/4', status: 500, latencyMs: 25, method: 'POST'}, // method
      {path: '/books/5', status: 502, latencyMs: 10}, // matches (exactly 10 ms)
    ];
    traces.forEach((t, i) => a.emit(bufferedTrace({...t, startMs: T0 + i, latencyMs: t.latencyMs})));
    const {code} = await cli.exited;
    expect(code).toBe(0);
    const paths = cli.stdout().trim().split('\n').map((line) => JSON.parse(line).path);
    expect(paths).toEqual(['/books/1', '/books/5']);
    // What Envoy was asked to match (envoy.config.common.matcher.v3.MatchPredicate).
    expect(a.tapRequests[0]).toEqual({
      config_id: 'meshctl',
      tap_config: {
        match: {
          and_match: {
            rules: [
              {
                http_request_headers_match: {
                  headers: [
                    {name: ':method', string_match: {exact: 'GET'}},
                    {name: ':path', string_match: {prefix: '/books'}},
                  ],
                },
              },
              {http_response_headers_match: {headers: [{name: ':status', string_match: {prefix: '5'}}]}},
            ],
          },
        },
        output_config: {
          sinks: [{format: 'JSON_BODY_AS_BYTES', streaming_admin: {}}],
          max_buffered_rx_bytes: 1024,
          max_buffered_tx_bytes: 1024,
          streaming: false,
        },
      },
    });
  });

  it('--path ~REGEX searches the whole path, query included', async () => {
    const a = await envoy('web-7d9f8c6b5-ggggg', 'web');
    const cli = startCli(['tap', '-o', 'json', '--count', '2', '--path', '~^/books/\\d+$|page=', '-p', a.url]);
    await a.whenAttached();
    for (const [i, path] of ['/books/12', '/books/x', '/authors?page=3', '/books/12/reviews'].entries()) {
      a.emit(bufferedTrace({path, startMs: T0 + i, latencyMs: 1}));
    }
    await cli.exited;
    expect(cli.stdout().trim().split('\n').map((line) => JSON.parse(line).path)).toEqual(['/books/12', '/authors?page=3']);
  });

  it('--max-rps keeps at most that many per second', async () => {
    const a = await envoy('web-7d9f8c6b5-hhhhh', 'web');
    const cli = startCli(['tap', '-o', 'json', '--duration', '1500ms', '--max-rps', '3', '-p', a.url]);
    await a.whenAttached();
    for (let i = 0; i < 40; i++) a.emit(bufferedTrace({path: `/n/${i}`, startMs: T0 + i, latencyMs: 1}));
    await cli.exited;
    const lines = cli.stdout().trim().split('\n');
    // All 40 arrive within one or two wall-clock seconds of the run.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(cli.stderr()).toMatch(new RegExp(`tap: ${lines.length} requests shown of 40 matching, ${40 - lines.length} left out by --max-rps`));
  });

  it('rejects bad filters before contacting any proxy', async () => {
    const a = await envoy('web-7d9f8c6b5-iiiii', 'web');
    const cli = startCli(['tap', '--status', '6xx', '-p', a.url]);
    const {code} = await cli.exited;
    expect(code).toBe(2);
    expect(cli.stderr()).toMatch(/--status needs a code such as 503 or a class such as 5xx, got "6xx"/);
    expect(a.requests()).toBe(0);
  });
});

describe('which proxies are tapped', () => {
  it('TARGET selects by the identity each proxy reports', async () => {
    const reviews = await envoy('reviews-v1-545db77b95-xz7kq', 'reviews-v1');
    const ratings = await envoy('ratings-v1-6c9dbf6b45-2wzvb', 'ratings-v1');
    const cli = startCli(['tap', 'deploy/reviews-v1', '--count', '1', '-p', `${reviews.url},${ratings.url}`]);
    await reviews.whenAttached();
    reviews.emit(bufferedTrace({path: '/reviews/0', startMs: T0, latencyMs: 1}));
    const {code} = await cli.exited;
    expect(code).toBe(0);
    expect(ratings.tapRequests).toHaveLength(0);
    expect(cli.stdout()).toMatch(/:path=\/reviews\/0/);
  });

  it('says which proxies exist when TARGET matches none', async () => {
    const reviews = await envoy('reviews-v1-545db77b95-xz7kq', 'reviews-v1');
    const cli = startCli(['tap', 'deploy/nope', '-p', reviews.url]);
    const {code} = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stderr()).toMatch(/meshctl: no proxy matches deploy\/nope\n  proxies read: .*deploy\/reviews-v1 in shop/);
  });

  it('retries with legacy header matchers when the Envoy predates string_match', async () => {
    const old = await fakeTapEnvoy({pod: 'web-7d9f8c6b5-jjjjj', workload: 'web', namespace: 'shop', legacyOnly: true});
    servers.push(old);
    const cli = startCli(['tap', '--method', 'GET', '--count', '1', '-p', old.url]);
    await old.whenAttached();
    old.emit(bufferedTrace({path: '/x', startMs: T0, latencyMs: 1}));
    expect((await cli.exited).code).toBe(0);
    expect(old.tapRequests).toHaveLength(2);
    expect(JSON.stringify(old.tapRequests[1])).toContain('"exact_match":"GET"');
  });

  it('--tap-config-id names the filter; an unknown id is explained and nothing hangs', async () => {
    const a = await envoy('web-7d9f8c6b5-kkkkk', 'web');
    const cli = startCli(['tap', '--tap-config-id', 'other', '-p', a.url]);
    const {code} = await cli.exited;
    expect(code).toBe(1);
    expect(a.tapRequests[0].config_id).toBe('other');
    expect(cli.stderr()).toMatch(/error: .*: no tap filter is registered with config id "other"\n  add the tap filter/);
  });
});

