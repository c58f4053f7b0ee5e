import {peerLabel, type TrafficEvent} from '../model/traffic.js';
import {HopPairs} from './top-pairs.js';
import type {TopAggregator, TopMode} from './top.js';

/**
 * How `top` combines its two sources: tap events from proxies that can be tapped (Envoy),
 * per-second metric deltas from those that cannot (Linkerd).
 */
export function topMode(tapped: number, measured: number): TopMode {
  if (tapped > 0 && measured > 0) return 'mixed';
  return tapped > 0 ? 'tap' : 'metrics';
}

/**
 * Whether a tapped request belongs in the table. When both ends of a hop are tapped, each
 * request arrives twice: from the client's proxy (outbound) and the server's (inbound).
 * The outbound copy is kept; an inbound one is left out when its source is the workload of
 * a tapped proxy. Requests whose side is unknown are always kept.
 */
export function countedOnce(event: TrafficEvent, tappedWorkloads: ReadonlySet<string>): boolean {
  if (event.direction !== 'inbound' || event.source === null || typeof event.source === 'string') return true;
  return !tappedWorkloads.has(peerLabel(event.source));
}

/**
 * Tap events on their way into the top table: the two copies of a hop are joined
 * (top-pairs.ts), and an inbound copy from a tapped client that could not be joined is
 * dropped. Events that arrive before the table exists (while other streams still open)
 * wait for it.
 */
export class TapFeed {
  private table: TopAggregator | null = null;
  private tappedWorkloads: ReadonlySet<string> = new Set();
  private early: TrafficEvent[] = [];
  private pairs: HopPairs | null = null;

  /**
   * Start filling `table`. `tappedWorkloads` are the own workloads of the tapped proxies;
   * with a single proxy tapped no request can arrive twice, so nothing waits for a partner.
   */
  attach(table: TopAggregator, tappedWorkloads: ReadonlySet<string>, tappedProxies: number, nowMs: number): void {
    this.table = table;
    this.tappedWorkloads = tappedWorkloads;
    this.pairs = tappedProxies > 1 ? new HopPairs() : null;
    this.add(this.early.splice(0), nowMs);
  }

  add(events: readonly TrafficEvent[], nowMs: number): void {
    if (!this.table) {
      this.early.push(...events);
      return;
    }
    for (const event of events) this.put(this.pairs ? this.pairs.add(event, nowMs) : [event]);
  }

  /** Call on a timer: copies whose partner did not come. */
  release(nowMs: number): void {
    if (this.pairs) this.put(this.pairs.release(nowMs));
  }

  private put(events: readonly TrafficEvent[]): void {
    for (const event of events) if (countedOnce(event, this.tappedWorkloads)) this.table!.addEvent(event);
  }
}
