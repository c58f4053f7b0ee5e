import {nowMs} from '../model/snapshot.js';
import {formatDuration} from '../util/duration.js';
import {transportError} from './errors.js';
import {formatBytes} from '../util/bytes.js';
import type {TransportError} from './types.js';

export type StopReason = 'timeout' | 'deadline' | 'aborted';

/** How far one request got: the words of a timeout or deadline message depend on it. */
export interface Progress {
  phase: 'queued' | 'connecting' | 'waiting' | 'body';
  /** Body bytes as they arrived on the wire (before decompression). */
  wireBytes: number;
}

export function newProgress(): Progress {
  return {phase: 'queued', wireBytes: 0};
}

export interface Limits {
  timeoutMs: number;
  deadlineMs?: number;
  signal?: AbortSignal;
}

// setTimeout fires at once for delays past 2^31-1 ms; no request needs more than ~24 days.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One request's limits folded into a single AbortSignal: the caller's signal (from the
 * start), the absolute deadline (from the start, so it also bounds waiting for a permit) and
 * the per-request timeout (from `startTimeout`, once a permit is held).
 */
export class RequestGuard {
  private readonly controller = new AbortController();
  private stopReason: StopReason | null = null;
  private timers: NodeJS.Timeout[] = [];
  private detachCaller: () => void = () => {};

  constructor(private readonly limits: Limits) {
    const caller = limits.signal;
    if (caller?.aborted) this.stop('aborted');
    else if (caller) {
      const onAbort = () => this.stop('aborted');
      caller.addEventListener('abort', onAbort, {once: true});
      this.detachCaller = () => caller.removeEventListener('abort', onAbort);
    }
    const left = this.deadlineLeft();
    if (left !== null) {
      if (left <= 0) this.stop('deadline');
      else this.arm(left, 'deadline');
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | null {
    return this.stopReason;
  }

  /** Start the per-request timeout, unless the deadline comes first anyway. */
  startTimeout(): void {
    const left = this.deadlineLeft();
    if (left !== null && left <= this.limits.timeoutMs) return;
    this.arm(this.limits.timeoutMs, 'timeout');
  }

  /** A stream's body has no time limit; only the caller's signal still ends it. */
  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  dispose(): void {
    this.clearTimers();
    this.detachCaller();
  }

  /** The error for a stop, worded by how far the request had got. */
  failure(progress: Progress, url: string): TransportError {
    const reason = this.stopReason ?? 'aborted';
    if (reason === 'aborted') return transportError('aborted', `request cancelled ${whereText(progress)}`, url);
    if (reason === 'deadline') return transportError('deadline', `deadline reached ${whereText(progress)}`, url);
    return transportError('timeout', timeoutText(progress, formatDuration(this.limits.timeoutMs)), url);
  }

  private deadlineLeft(): number | null {
    return this.limits.deadlineMs === undefined ? null : this.limits.deadlineMs - nowMs();
  }

  private arm(delayMs: number, reason: StopReason): void {
    this.timers.push(setTimeout(() => this.stop(reason), Math.min(Math.max(0, delayMs), MAX_TIMER_MS)));
  }

  private stop(reason: StopReason): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    this.clearTimers();
    this.controller.abort();
  }
}

function whereText(progress: Progress): string {
  switch (progress.phase) {
    case 'queued':
      return 'before the request was sent';
    case 'connecting':
      return 'while connecting';
    case 'waiting':
      return 'before a response';
    case 'body':
      return `after ${formatBytes(progress.wireBytes)} of body`;
  }
}

function timeoutText(progress: Progress, within: string): string {
  switch (progress.phase) {
    case 'queued':
    case 'connecting':
      return `could not connect within ${within}`;
    case 'waiting':
      return `no response within ${within}`;
    case 'body':
      return progress.wireBytes > 0
        ? `body stalled after ${formatBytes(progress.wireBytes)} within ${within}`
        : `headers arrived but no body within ${within}`;
  }
}
