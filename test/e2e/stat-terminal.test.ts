import {afterEach, describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/cli.js';
import {linkerdInbound} from '../helpers/exposition.js';
import {fakeLinkerd, linkerdEnv} from '../helpers/fake-proxies.js';
import type {TestServer} from '../helpers/servers.js';
import {HAVE_TMUX, noticeIfNoTmux, startInTmux, type TmuxSession} from '../helpers/tmux.js';

/** `meshctl stat` in a real terminal (tmux): the countdown while a window is measured, and --watch. */
noticeIfNoTmux();

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pod(): Promise<TestServer> {
  let n = 0;
  const start = Math.floor(Date.now() / 1000) - 60;
  const server = await fakeLinkerd({env: linkerdEnv('books-5d9f8c6b57-x2kqp', 'shop'), metrics: () => linkerdInbound([{status: '200', byBucket: {5: 4}}], 10 + n++, start)});
  cleanups.push(() => server.close());
  return server;
}

function session(args: string[]): TmuxSession {
  const tmux = startInTmux(args, {columns: 100, rows: 20}, {}, true);
  cleanups.push(() => tmux.kill());
  return tmux;
}

describe.skipIf(!HAVE_TMUX)('stat in a real terminal', () => {
  it('counts the window down on stderr, then replaces the countdown with the table', async () => {
    const books = await pod();
    const tmux = session(['stat', '-t', '3s', '-p', books.url]);
    await waitFor(() => tmux.screen().some((l) => /^measuring a 3s window… [123]s left$/.test(l)), 10_000, 'the countdown');
    await waitFor(() => tmux.exitCode() !== null, 15_000, 'stat to finish');
    expect(tmux.exitCode()).toBe(0);
    const screen = tmux.screen().filter((l) => l !== '');
    expect(screen.some((l) => l.includes('measuring'))).toBe(false);
    expect(screen[0].split(/\s+/)).toEqual(['NAME', 'PROXIES', 'SUCCESS', 'RPS', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'TCP_CONN']);
    expect(screen[1]).toMatch(/^books\s+1\/1\s+100\.00%\s+\d+\.\drps/);
  });

  it('--watch redraws the table in place every window until Ctrl-C (exit 130)', async () => {
    const books = await pod();
    const tmux = session(['stat', '-w', '-t', '1s', '-p', books.url]);
    await waitFor(() => tmux.screen().some((l) => /· every 1s · Ctrl-C to stop$/.test(l)), 10_000, 'the watch header');
    const first = tmux.screen().find((l) => l.includes('every 1s'));
    await waitFor(() => tmux.screen().find((l) => l.includes('every 1s')) !== first, 10_000, 'a second frame');
    // Redrawn in place: one header and one table on the screen, not a growing scroll.
    expect(tmux.screen().filter((l) => l.startsWith('NAME '))).toHaveLength(1);
    tmux.keys('C-c');
    await waitFor(() => tmux.exitCode() !== null, 10_000, 'exit after Ctrl-C');
    expect(tmux.exitCode()).toBe(130);
  });
});
