import type {TrafficEvent} from '../model/traffic.js';
import {matchesTapFilter, type TapFilter} from './tap-filter.js';
import {TimeOrderedMerge} from './tap-merge.js';
import {EvenSampler} from './tap-sampler.js';

export interface TapPipelineOptions {
  filter: TapFilter;
  /** `--max-rps`; null keeps every event. */
  maxRps: number | null;
  /** `--count`; null for no limit. */
  limit: number | null;
  /** How long events wait for slower proxies before release (0 with a single proxy). */
  mergeDelayMs: number;
  seed?: number;
}

/**
 * What `meshctl tap` does between the proxies' streams and the screen: keep the events that
 * pass the filters (the proxy may match loosely), put the proxies' events in time order,
 * sample evenly to `--max-rps`, and stop at `--count`. It only counts; callers print.
 */
export class TapPipeline {
  /** Events that passed the filters. */
  matched = 0;
  /** Events released for output. */
  shown = 0;
  private readonly merge: TimeOrderedMerge;
  private readonly sampler: EvenSampler<TrafficEvent> | null;
  private lastNowMs = 0;

  constructor(private readonly options: TapPipelineOptions) {
    this.merge = new TimeOrderedMerge(options.mergeDelayMs);
    this.sampler = options.maxRps === null ? null : new EvenSampler(options.maxRps, options.seed);
  }

  /** Events left out by `--max-rps`. */
  get sampledOut(): number {
    return this.sampler?.skipped ?? 0;
  }

  /** True once `--count` events have been released. */
  get done(): boolean {
    return this.options.limit !== null && this.shown >= this.options.limit;
  }

  /** New events from any proxy; returns those due for output now. */
  add(events: readonly TrafficEvent[], nowMs: number): TrafficEvent[] {
    const kept = events.filter((event) => matchesTapFilter(event, this.options.filter));
    this.matched += kept.length;
    return this.sample(this.merge.add(kept, nowMs), nowMs);
  }

  /** Call on a timer: releases what waited long enough, and the sample of a second that closed. */
  tick(nowMs: number): TrafficEvent[] {
    return this.sample(this.merge.release(nowMs), nowMs);
  }

  /** The run ends: everything still held, in order (up to the limit). */
  drain(): TrafficEvent[] {
    const merged = this.merge.drain();
    if (!this.sampler) return this.cap(merged);
    const out: TrafficEvent[] = [];
    // What the merge still held arrived in the current second: sample it with that second.
    for (const event of merged) out.push(...this.sampler.offer(event, this.lastNowMs));
    return this.cap([...out, ...this.sampler.drain()]);
  }

  private sample(events: TrafficEvent[], nowMs: number): TrafficEvent[] {
    this.lastNowMs = nowMs;
    if (!this.sampler) return this.cap(events);
    const out = this.sampler.tick(nowMs);
    for (const event of events) out.push(...this.sampler.offer(event, nowMs));
    return this.cap(out);
  }

  private cap(events: TrafficEvent[]): TrafficEvent[] {
    const room = this.options.limit === null ? events.length : Math.max(0, this.options.limit - this.shown);
    const out = events.length > room ? events.slice(0, room) : events;
    this.shown += out.length;
    return out;
  }
}
