import {afterEach, describe, expect, it} from 'vitest';
import {startCli, waitFor} from '../helpers/cli.js';
import {fakeTapEnvoy, type FakeTapEnvoy} from '../live/wiring/fake-tap-envoy.js';
import {bufferedTrace} from '../live/wiring/traces.js';

/**
 * `meshctl tap | less` left on one page: stdout stops being read while the proxy goes on
 * streaming. meshctl must keep reading the tap stream (so the proxy is never made to hold
 * traces), keep its own backlog bounded, and account for every request it did not print.
 */
const servers: FakeTapEnvoy[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LONG_PATH = `/books/${'x'.repeat(4000)}`;

/** Run the CLI against a fake Envoy and stop reading its stdout once the tap stream is open. */
async function startUnread(args: string[]) {
  const web = await fakeTapEnvoy({pod: 'web-7d9f8c6b5-x2kqp', workload: 'web', namespace: 'shop'});
  servers.push(web);
  const cli = startCli([...args, '-p', web.url]);
  await web.whenAttached();
  cli.child.stdout!.pause();
  return {web, cli, resume: () => cli.child.stdout!.resume()};
}

/** The whole lines written so far (a line still being written is left out). */
function completeLines(text: string): string[] {
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line !== '');
}

/** `count` requests, each to its own 4 KB path. */
async function emitLongPaths(web: FakeTapEnvoy, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    web.emit(bufferedTrace({path: `${LONG_PATH}/${i}`, startMs: Date.now(), latencyMs: 1}));
    if (i % 250 === 249) await sleep(20);
  }
}

describe('tap when nobody reads its output', () => {
  it('counts the requests it cannot print, says so, and prints only whole lines', async () => {
    // --duration leaves time to read every trace, even on a busy machine.
    const {web, cli, resume} = await startUnread(['tap', '-o', 'json', '--duration', '6s']);
    // 2,500 requests with 4 KB paths: about 10 MB of NDJSON, well past what a pipe and
    // meshctl's backlog hold together.
    const EMITTED = 2500;
    await emitLongPaths(web, EMITTED);
    await waitFor(() => cli.stderr().includes('the output is not being read'), 10_000, 'the backlog warning');
    await sleep(500);

    resume();
    const {code} = await cli.exited;
    expect(code).toBe(0);

    const tally = /tap: (\d+) requests shown of (\d+) matching, (\d+) not printed while the output was not being read/.exec(cli.stderr());
    expect(tally, cli.stderr()).not.toBeNull();
    const [shown, matched, unprinted] = tally!.slice(1).map(Number);
    expect(matched).toBe(EMITTED);
    expect(shown + unprinted).toBe(EMITTED);
    expect(unprinted).toBeGreaterThan(0);

    // One whole NDJSON record per request printed, exactly as many as the tally says.
    const lines = cli.stdout().split('\n').filter((line) => line !== '');
    expect(lines.length).toBe(shown);
    const paths = lines.map((line) => (JSON.parse(line) as {path: string}).path);
    expect(paths.every((path) => path.startsWith(`${LONG_PATH}/`))).toBe(true);
  });
});

describe('top without a terminal when nobody reads its output', () => {
  it('skips snapshots while the backlog is full, says how many, and the next printed one has everything', async () => {
    const {web, cli, resume} = await startUnread(['top', '--interval', '100ms']);
    // 1,500 distinct 4 KB paths: every snapshot is about 6 MB, more than the backlog allows.
    const PATHS = 1500;
    await emitLongPaths(web, PATHS);
    await waitFor(() => cli.stderr().includes('snapshots are counted but not printed'), 10_000, 'the backlog warning');
    await sleep(1000);
    resume();
    // Once the backlog has drained, snapshots are printed again, and one of them holds every
    // path: nothing was lost with the skipped ones. Only the newest whole line is parsed.
    let parsedLines = 0;
    let newest: {rows: {path: string; count: number}[]} | null = null;
    const newestSnapshot = () => {
      const lines = completeLines(cli.stdout());
      if (lines.length !== parsedLines) {
        parsedLines = lines.length;
        newest = JSON.parse(lines.at(-1)!) as {rows: {path: string; count: number}[]};
      }
      return newest;
    };
    await waitFor(() => newestSnapshot()?.rows.length === PATHS, 20_000, 'a printed snapshot with every path');
    cli.child.kill('SIGINT');
    const {code} = await cli.exited;
    expect(code).toBe(130);

    const skipped = /top: (\d+) snapshot\(s\) skipped while the output was not being read/.exec(cli.stderr());
    expect(skipped, cli.stderr()).not.toBeNull();
    expect(Number(skipped![1])).toBeGreaterThan(0);
    expect(newest!.rows.every((row) => row.count === 1)).toBe(true);
  });
});
