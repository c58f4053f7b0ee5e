import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {TopScreen} from '../../src/render/top/TopScreen.js';
import {TopAggregator} from '../../src/views/top.js';
import {addMetricDeltas} from '../../src/views/top-metrics.js';
import {makeEvent} from './events.js';

const KEYS = {up: '\u001b[A', down: '\u001b[B', right: '\u001b[C', left: '\u001b[D', enter: '\r', escape: '\u001b', backspace: '\u007f'};
const REFRESH_MS = 10;
const settle = (ms = 40) => new Promise((resolve) => setTimeout(resolve, ms));

let unmounts: (() => void)[] = [];
afterEach(() => {
  for (const unmount of unmounts) unmount();
  unmounts = [];
});

function sampleAggregator(): {top: TopAggregator; clock: {now: number}} {
  const clock = {now: 10_000};
  const top = new TopAggregator({startMs: 0});
  // /1: 1 request, 1 ms, ok.  /2: 5 requests, 2–9 ms, ok.  /3: 9 requests, no latency, 1 fails.
  top.addEvent(makeEvent({source: 'src-c', destination: 'dst-x', method: 'DELETE', path: '/1', latencyMs: 1, observedAtMs: 9_000}));
  // /3 is older than the 10 s RPS window, so its RPS is 0.
  for (const latencyMs of [2, 9, 3, 3, 3]) {
    top.addEvent(makeEvent({source: 'src-b', destination: 'dst-y', method: 'GET', path: '/2', latencyMs, observedAtMs: 9_100}));
  }
  for (let i = 0; i < 9; i++) {
    top.addEvent(makeEvent({source: 'src-a', destination: 'dst-z', method: 'POST', path: '/3', latencyMs: null, status: i === 0 ? 500 : 200, observedAtMs: 0}));
  }
  return {top, clock};
}

async function mount(top: TopAggregator, clock: {now: number}, onQuit?: () => void) {
  const view = render(<TopScreen source={top} targets={['envoy-a', 'envoy-b']} refreshMs={REFRESH_MS} now={() => clock.now} onQuit={onQuit} />);
  unmounts.push(view.unmount);
  await settle();
  return view;
}

/** The table's data paths in screen order. */
function pathOrder(frame: string): string[] {
  return [...frame.matchAll(/ (\/\d)\s/g)].map((m) => m[1]);
}

async function press(view: Awaited<ReturnType<typeof mount>>, ...keys: string[]) {
  for (const key of keys) {
    view.stdin.write(key);
    await settle(15);
  }
  await settle();
}

function resize(view: Awaited<ReturnType<typeof mount>>, columns: number) {
  Object.defineProperty(view.stdout, 'columns', {value: columns, configurable: true});
  view.stdout.emit('resize');
}

describe('the top screen', () => {
  it('shows the mode, targets, all columns, rows by count and a one-line legend', async () => {
    const {top, clock} = sampleAggregator();
    const view = await mount(top, clock);
    const frame = view.lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toBe('meshctl top · live requests (tap) · 2 targets: envoy-a, envoy-b');
    expect(lines[1]).toBe('sort: count↓ · rows 1-3/3');
    for (const title of ['Source', 'Destination', 'Method', 'Path', 'Count↓', 'RPS', 'Best', 'Worst', 'Last', 'Success']) {
      expect(lines[2]).toContain(title);
    }
    expect(pathOrder(frame)).toEqual(['/3', '/2', '/1']);
    expect(lines.at(-1)).toBe('q quit  s/S sort column  r reverse  p pause  / filter  g group by route  ↑/↓ rows  ←/→ columns');
    // /3: 9 requests, 8 ok; latency unknown.
    expect(lines.find((l) => l.includes(' /3 '))).toMatch(/src-a\s+dst-z\s+POST\s+\/3\s+9\s+[\d.]+\s+-\s+-\s+-\s+88\.89%$/);
  });

  it('sorts by each column in turn with s, backwards with S, and reverses with r', async () => {
    const {top, clock} = sampleAggregator();
    const view = await mount(top, clock);
    // Descending orders, starting from count: rps, best, worst, last, success, source, destination, method, path.
    const expected: [string, string[]][] = [
      ['rps', ['/2', '/1', '/3']],
      ['best', ['/2', '/1', '/3']],
      ['worst', ['/2', '/1', '/3']],
      ['last', ['/2', '/1', '/3']],
      // /1 and /2 both succeed fully: the busier comes first.
      ['success', ['/2', '/1', '/3']],
      ['source', ['/1', '/2', '/3']],
      ['destination', ['/3', '/2', '/1']],
      ['method', ['/3', '/2', '/1']],
      ['path', ['/3', '/2', '/1']],
      ['count', ['/3', '/2', '/1']],
    ];
    for (const [column, order] of expected) {
      await press(view, 's');
      const frame = view.lastFrame()!;
      expect(frame.split('\n')[1]).toMatch(new RegExp(`^sort: ${column}↓`));
      expect(pathOrder(frame)).toEqual(order);
    }
    await press(view, 'S');
    expect(view.lastFrame()!.split('\n')[1]).toMatch(/^sort: path↓/);
    await press(view, 'r');
    expect(view.lastFrame()!.split('\n')[1]).toMatch(/^sort: path↑/);
    expect(view.lastFrame()!.split('\n')[2]).toContain('Path↑');
    expect(pathOrder(view.lastFrame()!)).toEqual(['/1', '/2', '/3']);
  });

  it('keeps its rows while paused even though requests arrive, and catches up on resume', async () => {
    const {top, clock} = sampleAggregator();
    const view = await mount(top, clock);
    await press(view, 'p');
    const paused = view.lastFrame()!;
    expect(paused.split('\n')[0]).toContain('PAUSED');
    for (let i = 0; i < 50; i++) top.addEvent(makeEvent({path: '/9', observedAtMs: 9_900}));
    await settle(REFRESH_MS * 5);
    expect(view.lastFrame()).toBe(paused);
    // Sorting still works on the frozen rows.
    await press(view, 'r');
    expect(pathOrder(view.lastFrame()!)).toEqual(['/1', '/2', '/3']);
    await press(view, 'r', 'p');
    const resumed = view.lastFrame()!;
    expect(resumed.split('\n')[0]).not.toContain('PAUSED');
    expect(pathOrder(resumed)).toEqual(['/9', '/3', '/2', '/1']);
  });

  it('filters as you type; Enter keeps the filter, Esc cancels the edit', async () => {
    const {top, clock} = sampleAggregator();
    const view = await mount(top, clock);
    await press(view, '/', 'p', 'o');
    expect(view.lastFrame()!.split('\n')[1]).toContain('filter: po▏');
    // The typed p did not pause: it went into the filter.
    expect(view.lastFrame()!.split('\n')[0]).not.toContain('PAUSED');
    expect(pathOrder(view.lastFrame()!)).toEqual(['/3']);
    await press(view, 's', 't', KEYS.enter);
    expect(view.lastFrame()!.split('\n')[1]).toContain('filter: "post"');
    expect(pathOrder(view.lastFrame()!)).toEqual(['/3']);
    await press(view, '/', KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, 'z', 'z');
    expect(view.lastFrame()!).toContain('(no rows match the filter)');
    await press(view, KEYS.escape);
    await settle(100);
    expect(view.lastFrame()!.split('\n')[1]).toContain('filter: "post"');
    expect(pathOrder(view.lastFrame()!)).toEqual(['/3']);
  });

  it('toggles grouping by route with g', async () => {
    const clock = {now: 10_000};
    const top = new TopAggregator({startMs: 0});
    for (const path of ['/books/1', '/books/2', '/books/3', '/authors/7']) top.addEvent(makeEvent({path, observedAtMs: 9_000}));
    const view = await mount(top, clock);
    expect(view.lastFrame()).toContain('/books/2');
    await press(view, 'g');
    const grouped = view.lastFrame()!;
    const header = grouped.split('\n')[2];
    expect(header).toContain('Route');
    expect(header).not.toContain('Method');
    expect(grouped).toMatch(/GET \/books\/\{id\}\s+3\s/);
    expect(grouped).toMatch(/GET \/authors\/\{id\}\s+1\s/);
    expect(grouped.split('\n')[1]).toContain('by route');
    await press(view, 'g');
    expect(view.lastFrame()).toContain('/books/2');
  });

  it.each([
    [60, ['Destination', 'Path', 'Count', 'RPS', 'Last', 'Success'], '4 hidden ▶', 'q quit s/S sort r rev p pause / filter g route ↑↓ ←→'],
    [40, ['Path', 'Count', 'Success'], '7 hidden ▶', 'keys: q s/S r p / g ↑↓ ←→ (see --help)'],
  ])('fits a %i-column terminal: drops columns in order, scrolls sideways', async (columns, titles, hidden, legend) => {
    const {top, clock} = sampleAggregator();
    const view = await mount(top, clock);
    resize(view, columns);
    await settle();
    const frame = view.lastFrame()!;
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
    const header = frame.split('\n')[2];
    expect(header.split(/\s+/).filter(Boolean).map((t) => t.replace('↓', ''))).toEqual(titles);
    expect(frame.split('\n')[1]).toContain(hidden);
    expect(frame.split('\n').at(-1)).toBe(legend);
    // Scrolling right far enough brings the last columns into view.
    await press(view, ...new Array(8).fill(KEYS.right));
    const scrolled = view.lastFrame()!;
    expect(scrolled.split('\n')[2]).toMatch(/^\s*Last\s+Success/);
    expect(scrolled.split('\n')[1]).toContain('◀ 8 cols');
    await press(view, ...new Array(9).fill(KEYS.left));
    expect(view.lastFrame()!.split('\n')[2]).toBe(header);
  });

  it('scrolls rows with the arrow keys when they do not fit', async () => {
    const clock = {now: 10_000};
    const top = new TopAggregator({startMs: 0});
    for (let i = 0; i < 40; i++) {
      for (let n = 0; n <= i; n++) top.addEvent(makeEvent({path: `/r${String(i).padStart(2, '0')}`, observedAtMs: 9_000}));
    }
    const view = await mount(top, clock);
    // 24 rows (the default) minus 5 lines of chrome = 19 rows, busiest first.
    expect(view.lastFrame()!.split('\n')[1]).toContain('rows 1-19/40');
    expect(view.lastFrame()!.split('\n')[3]).toContain('/r39');
    await press(view, KEYS.down, KEYS.down);
    expect(view.lastFrame()!.split('\n')[1]).toContain('rows 3-21/40');
    expect(view.lastFrame()!.split('\n')[3]).toContain('/r37');
    await press(view, KEYS.up);
    expect(view.lastFrame()!.split('\n')[1]).toContain('rows 2-20/40');
  });

  it('shows hostile paths and names sanitized', async () => {
    const clock = {now: 10_000};
    const top = new TopAggregator({startMs: 0});
    top.addEvent(makeEvent({path: '/\u001b[2Jx', source: 'a\u202eb', observedAtMs: 9_000}));
    const view = render(<TopScreen source={top} targets={['evil\u001b]0;title\u0007']} refreshMs={REFRESH_MS} now={() => clock.now} />);
    unmounts.push(view.unmount);
    await settle();
    const frame = view.lastFrame()!;
    expect(frame).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(frame).toContain('/\\x1b[2Jx');
    expect(frame).toContain('a\\u202eb');
    expect(frame).toContain('evil\\x1b]0;title\\x07');
  });

  it('says when no requests have arrived yet, and quits with q', async () => {
    let quit = 0;
    const view = await mount(new TopAggregator({startMs: 0}), {now: 1000}, () => quit++);
    expect(view.lastFrame()).toContain('(no requests yet)');
    await press(view, 'q');
    expect(quit).toBe(1);
  });

  it('labels the Linkerd mode as built from metrics and shows no Method column there', async () => {
    const top = new TopAggregator({mode: 'metrics', startMs: 0});
    addMetricDeltas(top, [
      {atMs: 1000, source: 'webapp', destination: 'books', authority: 'books:7002', route: 'GET /books/{id}.json', count: 12, successCount: 11, latencyMs: {p50: 6, p99: 19}},
    ]);
    const view = await mount(top, {now: 1000});
    const lines = view.lastFrame()!.split('\n');
    expect(lines[0]).toBe('meshctl top · from metrics, per-second deltas · 2 targets: envoy-a, envoy-b');
    expect(lines[2]).not.toContain('Method');
    expect(lines[3]).toMatch(/^webapp\s+books\s+GET \/books\/\{id\}\.json\s+12\s+12\.0\s+6ms\s+19ms\s+6ms\s+91\.67%$/);
  });

  it('says how many rows were evicted to stay within its row limit', async () => {
    const top = new TopAggregator({startMs: 0, maxRows: 2});
    for (const path of ['/a', '/b', '/c', '/d']) top.addEvent(makeEvent({path, observedAtMs: 500}));
    const view = await mount(top, {now: 1000});
    expect(view.lastFrame()!.split('\n')[1]).toContain('evicted 2 (max 2 rows)');
  });
});

describe('the top screen without a terminal for input', () => {
  it('does not ask for raw mode and says keys are unavailable', async () => {
    const {EventEmitter} = await import('node:events');
    const {render: inkRender} = await import('ink');
    const frames: string[] = [];
    const stdout = Object.assign(new EventEmitter(), {columns: 100, write: (frame: string) => frames.push(frame)});
    const stdin = Object.assign(new EventEmitter(), {isTTY: false, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null});
    const errors: unknown[] = [];
    const instance = inkRender(<TopScreen source={new TopAggregator({startMs: 0})} targets={['a']} refreshMs={REFRESH_MS} now={() => 1000} />, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: Object.assign(new EventEmitter(), {write: (e: string) => errors.push(e)}) as unknown as NodeJS.WriteStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    unmounts.push(() => instance.unmount());
    await settle();
    expect(errors).toEqual([]);
    expect(frames.at(-1)).toContain('keys unavailable (stdin is not a terminal); Ctrl-C quits');
  });
});
