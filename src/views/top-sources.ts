import {peerLabel, type TrafficEvent} from '../model/traffic.js';
import type {TopMode} from './top.js';

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
