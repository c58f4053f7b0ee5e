import {afterEach, describe, expect, it} from 'vitest';
import {startCli} from '../helpers/cli.js';
import {podEnvoys, type FakeTapEnvoy} from '../live/wiring/fake-tap-envoy.js';
import {bufferedTrace, peerId} from '../live/wiring/traces.js';

/**
 * `meshctl tap` naming the other side of a hop from socket addresses: Istio's metadata
 * exchange has consumed the peer headers, so the traces carry only what
 * `record_downstream_connection: true` adds. Expectations come from the pod IPs each fake
 * proxy was given, not from meshctl's code.
 */
const envoys = podEnvoys();
afterEach(envoys.closeAll);
const envoy = envoys.start;

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** Tap TARGET only, with every fake proxy in the targets (all of them fill the address book). */
async function tapJson(tapped: FakeTapEnvoy, count: number, emit: () => void): Promise<Record<string, unknown>[]> {
  const args = ['--count', String(count), '-p', envoys.urls(), `deploy/${tapped.workload}`];
  const cli = startCli(['tap', '-o', 'json', ...args]);
  await tapped.whenAttached();
  emit();
  const {code} = await cli.exited;
  expect(cli.stderr()).not.toMatch(/Error|at .*\.js/);
  expect(code).toBe(0);
  return cli.stdout().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('tap names the caller from downstream_connection', () => {
  it('inbound: a caller IP that is one known pod names its workload; unknown and shared IPs stay addresses', async () => {
    const web = await envoy('web-7d9f8c6b5-x2kqp', 'web', '10.0.0.2');
    const books = await envoy('books-5d9f8c6b57-q8wzt', 'books', '10.0.0.3');
    const authors = await envoy('authors-5d9f8c6b57-zzzzz', 'authors', 'fd00::4');
    await envoy('left-5d9f8c6b57-bbbbb', 'left', '10.0.0.8');
    await envoy('right-5d9f8c6b57-ccccc', 'right', '10.0.0.8');
    const inbound = (path: string, remote: string, i: number) =>
      books.emit(bufferedTrace({path, authority: 'books:7002', startMs: T0 + i, latencyMs: 1, downstream: {local: '10.0.0.3:7002', remote}}));
    const records = await tapJson(books, 4, () => {
      inbound('/from-web', '10.0.0.2:51234', 0);
      inbound('/from-authors', '[fd00:0::4]:40000', 1);
      inbound('/from-stranger', '10.0.0.99:40001', 2);
      inbound('/from-shared', '10.0.0.8:40002', 3);
    });
    const byPath = new Map(records.map((r) => [r.path, r]));
    expect(byPath.get('/from-web')).toMatchObject({direction: 'inbound', source: 'shop/web', source_address: '10.0.0.2:51234', destination: 'shop/books', destination_address: '10.0.0.3:7002'});
    expect(byPath.get('/from-authors')).toMatchObject({source: 'shop/authors', source_address: '[fd00:0::4]:40000'});
    expect(byPath.get('/from-stranger')).toMatchObject({source: '10.0.0.99:40001', source_address: '10.0.0.99:40001'});
    expect(byPath.get('/from-shared')).toMatchObject({source: '10.0.0.8:40002'});
    expect(web.tapRequests).toEqual([]);
    expect(authors.tapRequests).toEqual([]);
  });

  it('text: the req line names both sides of an inbound request', async () => {
    await envoy('web-7d9f8c6b5-x2kqp', 'web', '10.0.0.2');
    const books = await envoy('books-5d9f8c6b57-q8wzt', 'books', '10.0.0.3');
    const cli = startCli(['tap', '--count', '1', '-p', envoys.urls(), 'deploy/books']);
    await books.whenAttached();
    books.emit(bufferedTrace({path: '/books/1', authority: 'books:7002', startMs: T0, latencyMs: 2, downstream: {local: '10.0.0.3:7002', remote: '10.0.0.2:51234'}}));
    const {code} = await cli.exited;
    expect(code).toBe(0);
    expect(cli.stdout().split('\n')[0]).toBe('req id=0:0 proxy=in  src=shop/web dst=shop/books :method=GET :authority=books:7002 :path=/books/1');
  });
});

describe('tap names the callee from a service authority', () => {
  it('outbound: a service name one known workload answers to names it; others stay unnamed', async () => {
    const web = await envoy('web-7d9f8c6b5-x2kqp', 'web', '10.0.0.2');
    await envoy('books-5d9f8c6b57-q8wzt', 'books', '10.0.0.3');
    await envoy('reviews-v1-5d9f8c6b57-ddddd', 'reviews-v1', '10.0.0.5');
    await envoy('reviews-v2-5d9f8c6b57-fffff', 'reviews-v2', '10.0.0.6');
    const outbound = (path: string, authority: string, i: number) =>
      web.emit(bufferedTrace({path, authority, startMs: T0 + i, latencyMs: 1, requestHeaders: [peerId(web.nodeId)]}));
    const records = await tapJson(web, 4, () => {
      outbound('/fqdn', 'books.shop.svc.cluster.local:7002', 0);
      outbound('/short', 'books.shop:7002', 1);
      outbound('/two-versions', 'reviews.shop:9080', 2);
      outbound('/external', 'api.example.com:443', 3);
    });
    const byPath = new Map(records.map((r) => [r.path, r]));
    expect(byPath.get('/fqdn')).toMatchObject({direction: 'outbound', source: 'shop/web', destination: 'shop/books'});
    expect(byPath.get('/short')).toMatchObject({destination: 'shop/books'});
    expect(byPath.get('/two-versions')).toMatchObject({destination: null});
    expect(byPath.get('/external')).toMatchObject({destination: null});
  });
});
