import {eventTimeMs, type TrafficEvent} from '../model/traffic.js';

/**
 * Merges the events of many proxies into one stream in request-start order. Each proxy's
 * stream arrives on its own connection, and Envoy writes a buffered trace only when its
 * request ends, so events arrive somewhat out of order. They are held for `delayMs` and
 * released sorted by `eventTimeMs` once the clock has passed their time by that much.
 *
 * An event older than what was already released is released at once (counted in `late`)
 * rather than dropped. At most `maxHeld` events are held; past that the oldest are released
 * early, so memory stays bounded under any rate.
 */
export class TimeOrderedMerge {
  private held: TrafficEvent[] = [];
  private sorted = true;
  private watermarkMs = Number.NEGATIVE_INFINITY;
  late = 0;

  constructor(
    readonly delayMs = 500,
    readonly maxHeld = 50_000,
  ) {}

  /** Add events from any proxy; returns those now due, oldest first. */
  add(events: readonly TrafficEvent[], nowMs: number): TrafficEvent[] {
    const early: TrafficEvent[] = [];
    for (const event of events) {
      if (eventTimeMs(event) < this.watermarkMs) {
        this.late++;
        early.push(event);
        continue;
      }
      if (this.sorted && this.held.length > 0 && eventTimeMs(event) < eventTimeMs(this.held[this.held.length - 1])) {
        this.sorted = false;
      }
      this.held.push(event);
    }
    return [...early, ...this.release(nowMs)];
  }

  /** Events due at `nowMs`; call on a timer so quiet streams still flow. */
  release(nowMs: number): TrafficEvent[] {
    this.sort();
    let due = 0;
    const cutoff = nowMs - this.delayMs;
    while (due < this.held.length && eventTimeMs(this.held[due]) <= cutoff) due++;
    due = Math.max(due, this.held.length - this.maxHeld);
    return this.take(due);
  }

  /** Everything held, in order (end of the run). */
  drain(): TrafficEvent[] {
    this.sort();
    return this.take(this.held.length);
  }

  private sort(): void {
    if (this.sorted) return;
    this.held.sort((a, b) => eventTimeMs(a) - eventTimeMs(b));
    this.sorted = true;
  }

  private take(count: number): TrafficEvent[] {
    if (count <= 0) return [];
    const out = this.held.splice(0, count);
    this.watermarkMs = Math.max(this.watermarkMs, eventTimeMs(out[out.length - 1]));
    return out;
  }
}
