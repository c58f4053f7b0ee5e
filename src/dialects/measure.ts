import {sinceStart, windowBetween} from '../metrics/window.js';
import type {ProxyFailure} from '../model/failure.js';
import {nowMs} from '../model/snapshot.js';
import type {Target} from '../model/target.js';
import type {WindowedSnapshot} from '../model/window.js';
import type {ScrapeResult, Scraper} from './scrape.js';

export interface Measurement {
  windows: WindowedSnapshot[];
  failures: ProxyFailure[];
  /** The latest scrape of every target, for callers that also want identity/version. */
  latest: ScrapeResult[];
}

export interface MeasureOptions {
  /** 0 = everything since each proxy started. */
  windowMs: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Called about once a second while waiting out the window. */
  onWait?: (remainingMs: number) => void;
}

/** A scrape round may take one timeout for metrics and one for the admin API, plus slack. */
function roundDeadline(timeoutMs: number): number {
  return nowMs() + 2 * timeoutMs + 500;
}

/** Scrape, wait out the window, scrape again, and difference the two. */
export async function measureOnce(scraper: Scraper, targets: readonly Target[], options: MeasureOptions): Promise<Measurement> {
  const first = await scraper.scrapeAll(targets, {deadlineMs: roundDeadline(options.timeoutMs), signal: options.signal});
  if (options.windowMs === 0) return combine(null, first);
  await waitOut(options.windowMs, options);
  if (options.signal.aborted) return combine(null, first);
  const second = await scraper.scrapeAll(targets, {deadlineMs: roundDeadline(options.timeoutMs), signal: options.signal});
  return combine(first, second);
}

/**
 * For --watch: yields one measurement per window, each starting where the previous ended, so
 * consecutive windows neither overlap nor leave gaps. Stops when the signal aborts.
 */
export async function* measureRepeatedly(scraper: Scraper, targets: readonly Target[], options: MeasureOptions): AsyncGenerator<Measurement> {
  let previous = await scraper.scrapeAll(targets, {deadlineMs: roundDeadline(options.timeoutMs), signal: options.signal});
  if (options.windowMs === 0) {
    yield combine(null, previous);
    return;
  }
  while (!options.signal.aborted) {
    await waitOut(options.windowMs, options);
    if (options.signal.aborted) return;
    const next = await scraper.scrapeAll(targets, {deadlineMs: roundDeadline(options.timeoutMs), signal: options.signal});
    if (options.signal.aborted) return;
    yield combine(previous, next);
    previous = next;
  }
}

function combine(before: ScrapeResult[] | null, after: ScrapeResult[]): Measurement {
  const windows: WindowedSnapshot[] = [];
  const failures: ProxyFailure[] = [];
  after.forEach((result, i) => {
    const earlier = before?.[i] ?? null;
    if (!result.ok) {
      const answeredBefore = earlier?.ok === true;
      failures.push(
        answeredBefore
          ? {...result.failure, message: `answered at the start of the window but not at the end: ${result.failure.message}`}
          : result.failure,
      );
      return;
    }
    if (before === null) {
      windows.push(sinceStart(result.snapshot));
    } else if (earlier && !earlier.ok) {
      failures.push({...earlier.failure, message: `did not answer at the start of the window: ${earlier.failure.message}`});
    } else if (earlier && earlier.ok) {
      windows.push(windowBetween(earlier.snapshot, result.snapshot));
    }
  });
  return {windows, failures, latest: after};
}

async function waitOut(ms: number, options: MeasureOptions): Promise<void> {
  const end = nowMs() + ms;
  while (!options.signal.aborted) {
    const remaining = end - nowMs();
    if (remaining <= 0) break;
    options.onWait?.(remaining);
    await sleep(Math.min(remaining, 1000), options.signal);
  }
  options.onWait?.(0);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, {once: true});
  });
}
