import {afterEach, describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/cli.js';
import {fakeTapEnvoy, type FakeTapEnvoy} from '../live/wiring/fake-tap-envoy.js';
import {HAVE_TMUX, noticeIfNoTmux, startInTmux, type TmuxSession} from '../helpers/tmux.js';
import {bufferedTrace, peerId} from '../live/wiring/traces.js';

/**
 * `meshctl top` in a real terminal (tmux), against a fake Envoy whose traffic goes on while
 * the screen runs: three GET /books/1 for every GET /authors/2, one request each 40 ms.
 */
noticeIfNoTmux();

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function busyEnvoy(): Promise<FakeTapEnvoy> {
  const web = await fakeTapEnvoy({pod: 'web-7d9f8c6b5-x2kqp', workload: 'web', namespace: 'shop'});
  cleanups.push(() => web.close());
  let n = 0;
  const traffic = setInterval(() => {
    if (!web.attached()) return;
    const path = n++ % 4 === 3 ? '/authors/2' : '/books/1';
    web.emit(bufferedTrace({path, authority: 'books:7002', startMs: Date.now(), latencyMs: 2, requestHeaders: [peerId(web.nodeId)]}));
  }, 40);
  cleanups.push(() => clearInterval(traffic));
  return web;
}

function session(args: string[], columns = 120, rows = 20, env: Record<string, string> = {}): TmuxSession {
  const tmux = startInTmux(args, {columns, rows}, env);
  cleanups.push(() => tmux.kill());
  return tmux;
}

/** The screen's table rows in order, as [path, count]. */
function tableRows(screen: string[]): [string, number][] {
  return screen
    .filter((line) => line.startsWith('shop/web '))
    .map((line) => {
      const cells = line.split(/\s+/);
      return [cells[3], Number(cells[4])];
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!HAVE_TMUX)('top in a real terminal', () => {
  it('draws title, header, rows and legend; keys sort, pause and quit', async () => {
    const web = await busyEnvoy();
    const tmux = session(['top', '-p', web.url], 150);
    await waitFor(() => tableRows(tmux.screen()).length === 2, 15_000, 'both rows on screen');

    const screen = tmux.screen();
    expect(screen[0]).toBe(`meshctl top · live requests (tap) · 1 target: ${web.url.replace('http://', '')}`);
    expect(screen[1]).toMatch(/^sort: count↓ · rows 1-2\/2$/);
    expect(screen[2]).toMatch(/^Source\s+Destination\s+Method\s+Path\s+Count↓\s+RPS\s+Best\s+Worst\s+Last\s+Success Rate$/);
    expect(screen[3]).toMatch(/^shop\/web\s+books:7002\s+GET\s+\/books\/1\s+\d+\s+[\d.]+\s+2ms\s+2ms\s+2ms\s+100\.00%$/);
    expect(screen).toContain('q quit  s/S sort column  r reverse  p pause  / filter  g group by route  ↑/↓ rows  ←/→ columns');
    // Busiest first: three /books/1 for every /authors/2.
    expect(tableRows(screen).map(([path]) => path)).toEqual(['/books/1', '/authors/2']);

    tmux.keys('r');
    await waitFor(() => tmux.screen()[1].startsWith('sort: count↑'), 5000, 'ascending sort');
    expect(tableRows(tmux.screen()).map(([path]) => path)).toEqual(['/authors/2', '/books/1']);
    tmux.keys('s');
    await waitFor(() => tmux.screen()[1].startsWith('sort: rps↑'), 5000, 'sort by RPS');

    tmux.keys('p');
    await waitFor(() => tmux.screen()[0].includes('PAUSED'), 5000, 'paused');
    // The first paused frame may still show the last refresh; the data as of the key press follows it.
    await sleep(300);
    const frozen = tableRows(tmux.screen());
    await sleep(600);
    expect(tableRows(tmux.screen())).toEqual(frozen);
    tmux.keys('p');
    await waitFor(() => !tmux.screen()[0].includes('PAUSED'), 5000, 'resumed');
    await waitFor(() => tableRows(tmux.screen()).some(([path, count]) => path === '/books/1' && count > frozen.find(([p]) => p === '/books/1')![1]), 5000, 'counts moving again');

    tmux.keys('q');
    await waitFor(() => tmux.exitCode() !== null, 5000, 'meshctl to exit on q');
    expect(tmux.exitCode()).toBe(0);
    await web.whenDetached();
  });

  it('fits a narrower terminal after a resize, with the short legend', async () => {
    const web = await busyEnvoy();
    const tmux = session(['top', '--routes', '-p', web.url]);
    await waitFor(() => tmux.screen().some((line) => line.includes('GET /books/{id}')), 15_000, 'route rows');
    tmux.resize(60, 20);
    await waitFor(() => tmux.screen().includes('q quit s/S sort r rev p pause / filter g route ↑↓ ←→'), 5000, 'the narrow legend');
    const screen = tmux.screen();
    expect(screen.every((line) => [...line].length <= 60)).toBe(true);
    expect(screen[2]).toMatch(/Route/);
    expect(screen[1]).toMatch(/by route/);
    tmux.keys('q');
    await waitFor(() => tmux.exitCode() !== null, 5000, 'meshctl to exit on q');
  });

  it('Ctrl-C quits with the interrupted exit code 130, like every other command', async () => {
    const web = await busyEnvoy();
    const tmux = session(['top', '-p', web.url]);
    await waitFor(() => tableRows(tmux.screen()).length > 0, 15_000, 'rows on screen');
    tmux.keys('C-c');
    await waitFor(() => tmux.exitCode() !== null, 5000, 'meshctl to exit on Ctrl-C');
    expect(tmux.exitCode()).toBe(130);
  });

  it('draws the live screen in a terminal even when $CI is set (ink alone would draw only on exit)', async () => {
    const web = await busyEnvoy();
    const tmux = session(['top', '-p', web.url], 150, 20, {CI: 'true', CONTINUOUS_INTEGRATION: '1'});
    await waitFor(() => tableRows(tmux.screen()).length === 2, 15_000, 'both rows on screen');
    expect(tmux.screen()[0]).toMatch(/^meshctl top · live requests \(tap\)/);
    tmux.keys('q');
    await waitFor(() => tmux.exitCode() !== null, 5000, 'meshctl to exit on q');
    expect(tmux.exitCode()).toBe(0);
  });
});
