import {randomBytes} from 'node:crypto';
import {Random} from '../random.js';
import {WEBAPP} from '../topology.js';
import type {ServiceClient} from './client.js';
import {INITIAL_AUTHORS, INITIAL_BOOKS} from './store.js';

/** What a user of the bookstore does, and how often (relative weights). */
const ACTIONS: ReadonlyArray<{weight: number; make: (rng: Random) => {method: string; path: string; body?: string}}> = [
  {weight: 15, make: () => ({method: 'GET', path: '/'})},
  // Ids past the initial shelves are mostly missing: the source of the demo's 404s.
  {weight: 35, make: (rng) => ({method: 'GET', path: `/books/${rng.int(1, INITIAL_BOOKS + 5)}`})},
  {weight: 20, make: (rng) => ({method: 'GET', path: `/authors/${rng.int(1, INITIAL_AUTHORS + 2)}`})},
  {weight: 12, make: (rng) => ({method: 'POST', path: '/books', body: bookForm(rng)})},
  {weight: 12, make: (rng) => ({method: 'POST', path: `/books/${rng.int(1, INITIAL_BOOKS + 5)}/edit`, body: bookForm(rng)})},
  {weight: 6, make: (rng) => ({method: 'POST', path: `/books/${rng.int(1, INITIAL_BOOKS + 10)}/delete`})},
];

function bookForm(rng: Random): string {
  return JSON.stringify({title: `Volume ${rng.int(1, 999)}`, authorId: rng.int(1, INITIAL_AUTHORS + 1)});
}

/** Never more than this many requests outstanding, whatever the backends do. */
const MAX_IN_FLIGHT = 256;

/**
 * The load generator: sends `rps` requests per second to webapp on a fixed schedule (so the
 * rate is exact, not just on average), through its own sidecar. A `traceShare` of them start a
 * sampled W3C trace context.
 */
export class LoadGenerator {
  private timer: NodeJS.Timeout | null = null;
  private sent = 0;
  private startedAt = 0;
  private inFlight = 0;
  skipped = 0;

  constructor(
    private readonly client: ServiceClient,
    private readonly rng: Random,
    private readonly rps: number,
    private readonly traceShare: number,
  ) {}

  start(): void {
    this.startedAt = performance.now();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves once no request is outstanding (or after `timeoutMs`). */
  async idle(timeoutMs = 15_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private schedule(): void {
    const interval = 1000 / this.rps;
    const due = this.startedAt + (this.sent + 1) * interval;
    this.timer = setTimeout(() => {
      this.sent++;
      this.fire();
      this.schedule();
    }, Math.max(0, due - performance.now()));
  }

  private fire(): void {
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.skipped++;
      return;
    }
    const action = ACTIONS[this.rng.weighted(ACTIONS.map((a) => a.weight))].make(this.rng);
    const headers: Record<string, string> = {'user-agent': 'meshctl-demo-traffic/1'};
    if (this.rng.chance(this.traceShare)) {
      headers.traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    }
    this.inFlight++;
    void this.client.call(WEBAPP, action.method, action.path, {headers, body: action.body}).finally(() => this.inFlight--);
  }
}
