import type {TrafficEvent} from '../model/traffic.js';
import {LruMap} from '../util/lru.js';

/**
 * When both ends of a hop are tapped, each request arrives twice: from the client's proxy
 * (outbound, which knows the source workload) and from the server's (inbound, which knows
 * the destination). Neither copy may name the other side: Istio's metadata-exchange filter
 * strips the peer's headers before a tap filter behind it sees them. The copies are told
 * apart from other requests by `x-request-id` (which Envoy adds on the way out and the
 * server side receives) together with method, authority and path, since applications
 * often pass one request id on to the calls they make.
 *
 * Events are held up to `holdMs`: when the other copy arrives they become one event (the
 * client's view, with the server's own workload as destination); otherwise the single copy
 * is released when its time is up. Events without a request id or a known side pass at
 * once. At most `maxHeld` events wait; past that the oldest is released early.
 */
export class HopPairs {
  private readonly held = new LruMap<string, {event: TrafficEvent; heldAtMs: number}>();
  /** Requests seen from both sides and merged into one. */
  paired = 0;

  constructor(
    readonly holdMs = 1000,
    readonly maxHeld = 10_000,
  ) {}

  add(event: TrafficEvent, nowMs: number): TrafficEvent[] {
    const key = hopKey(event);
    if (key === null) return [event];
    const other = this.held.get(key);
    if (other && other.event.direction !== event.direction) {
      this.held.delete(key);
      this.paired++;
      return [joined(other.event, event)];
    }
    const out: TrafficEvent[] = [];
    // A retry from the same side (same id, same request): the earlier copy goes on alone.
    if (other) {
      this.held.delete(key);
      out.push(other.event);
    }
    if (this.held.size >= this.maxHeld) {
      const oldest = this.held.shift();
      if (oldest) out.push(oldest[1].event);
    }
    this.held.set(key, {event, heldAtMs: nowMs});
    return out;
  }

  /** Single copies whose time is up; call on a timer. */
  release(nowMs: number): TrafficEvent[] {
    const out: TrafficEvent[] = [];
    for (const [, {event, heldAtMs}] of this.held.entries()) {
      if (nowMs - heldAtMs < this.holdMs) break;
      out.push(event);
    }
    for (let i = 0; i < out.length; i++) this.held.shift();
    return out;
  }
}

function hopKey(event: TrafficEvent): string | null {
  if (event.direction === null) return null;
  const requestId = event.requestHeaders.find(([name]) => name === 'x-request-id')?.[1];
  if (!requestId) return null;
  return [requestId, event.method ?? '', event.authority ?? '', event.path ?? ''].join('\u0000');
}

function joined(a: TrafficEvent, b: TrafficEvent): TrafficEvent {
  const [client, server] = a.direction === 'outbound' ? [a, b] : [b, a];
  return {...client, destination: server.destination ?? client.destination};
}
