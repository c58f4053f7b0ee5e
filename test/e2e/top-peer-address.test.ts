import {afterEach, describe, expect, it} from 'vitest';
import {startCli, waitFor, type RunningCli} from '../helpers/cli.js';
import {podEnvoys} from '../live/wiring/fake-tap-envoy.js';
import {bufferedTrace, peerId} from '../live/wiring/traces.js';

/**
 * `meshctl top` when inbound traces name their caller only by socket address
 * (`record_downstream_connection: true`). Expected rows are worked out by hand from the pod
 * IPs the fake proxies were given and the traces they send.
 */
const envoys = podEnvoys();
afterEach(envoys.closeAll);
const envoy = envoys.start;

function lastRows(cli: RunningCli): Record<string, unknown>[] {
  const lines = cli.stdout().split('\n').filter((line) => line !== '');
  const rows = lines.length === 0 ? [] : (JSON.parse(lines.at(-1)!) as {rows: Record<string, unknown>[]}).rows;
  return [...rows].sort((a, b) => `${String(a.path)} ${String(a.source)}`.localeCompare(`${String(b.path)} ${String(b.source)}`));
}

const total = (rows: Record<string, unknown>[]) => rows.reduce((n, r) => n + Number(r.count), 0);

describe('top names callers from their pod IP', () => {
  it('both ends tapped: each request still counted once, whether or not a request id joins its copies', async () => {
    const web = await envoy('web-7d9f8c6b5-x2kqp', 'web', '10.0.0.2');
    const books = await envoy('books-5d9f8c6b57-q8wzt', 'books', '10.0.0.3');
    const cli = startCli(['top', '--interval', '200ms', '-p', `${web.url},${books.url}`]);
    await Promise.all([web.whenAttached(), books.whenAttached()]);
    const t0 = Date.now();
    const fromWeb = {local: '10.0.0.3:7002', remote: '10.0.0.2:51000'};
    for (let i = 0; i < 3; i++) {
      const requestId = `req-${i}`;
      web.emit(bufferedTrace({path: '/books/1', requestId, startMs: t0 + i, latencyMs: 4, requestHeaders: [peerId(web.nodeId)]}));
      books.emit(bufferedTrace({path: '/books/1', requestId, authority: 'books:7002', startMs: t0 + i, latencyMs: 3, downstream: fromWeb}));
    }
    // No request id: the copies cannot be joined; the inbound one, now naming tapped web, is left out.
    const noId: [string, string] = ['x-request-id', ''];
    web.emit(bufferedTrace({path: '/books/2', startMs: t0 + 5, latencyMs: 4, requestHeaders: [peerId(web.nodeId), noId]}));
    books.emit(bufferedTrace({path: '/books/2', authority: 'books:7002', startMs: t0 + 5, latencyMs: 3, requestHeaders: [noId], downstream: fromWeb}));
    // A caller no proxy claims: its address stays the source.
    books.emit(bufferedTrace({path: '/books/3', authority: 'books:7002', startMs: t0 + 6, latencyMs: 1, downstream: {local: '10.0.0.3:7002', remote: '10.0.0.99:40000'}}));
    // Wait past the pairing hold (1 s) so unjoined copies have been released or dropped.
    await waitFor(() => total(lastRows(cli)) >= 5, 8000, 'five requests');
    await new Promise((r) => setTimeout(r, 1500));
    cli.child.kill('SIGINT');
    await cli.exited;
    const rows = lastRows(cli);
    expect(rows.map((r) => [r.path, r.source, r.destination, r.count])).toEqual([
      ['/books/1', 'shop/web', 'shop/books', 3],
      ['/books/2', 'shop/web', 'shop/books', 1],
      ['/books/3', '10.0.0.99:40000', 'shop/books', 1],
    ]);
  });

  it('only the server tapped: the Source column names a known caller that is not tapped', async () => {
    await envoy('web-7d9f8c6b5-x2kqp', 'web', '10.0.0.2');
    const books = await envoy('books-5d9f8c6b57-q8wzt', 'books', '10.0.0.3');
    const cli = startCli(['top', '--interval', '200ms', '-p', envoys.urls(), 'deploy/books']);
    await books.whenAttached();
    const t0 = Date.now();
    for (let i = 0; i < 2; i++) {
      books.emit(bufferedTrace({path: '/books/1', authority: 'books:7002', startMs: t0 + i, latencyMs: 2, downstream: {local: '10.0.0.3:7002', remote: `10.0.0.2:${51000 + i}`}}));
    }
    await waitFor(() => total(lastRows(cli)) === 2, 8000, 'two requests');
    cli.child.kill('SIGINT');
    await cli.exited;
    expect(lastRows(cli).map((r) => [r.path, r.source, r.destination, r.count])).toEqual([['/books/1', 'shop/web', 'shop/books', 2]]);
  });
});
