import type {ProxySelection} from '../dialects/live-proxies.js';
import {openTaps, type TapRun} from '../dialects/tap-run.js';
import {UnsupportedError, UsageError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import type {TrafficEvent} from '../model/traffic.js';
import {renderDropped, renderRefusals, WarningLog} from '../render/tap-report.js';
import type {TapFilter} from '../views/tap-filter.js';
import {stderrChalk, type CommandContext} from './context.js';
import type {Session} from './session.js';
import {parseDuration, parsePositiveInt} from '../util/duration.js';
import {parseResource, type ResourceSelector} from '../views/resources.js';

/** What tap and top share: the TARGET argument, stop conditions, and the exit code. */

/** `[TARGET]`: deploy/NAME, po/NAME, ns/NAME (a bare kind selects all of it); none = every proxy. */
export function parseTarget(args: readonly string[]): ResourceSelector | null {
  if (args.length > 1) throw new UsageError(`expected at most one TARGET, got ${args.length}: ${args.join(' ')}`);
  return args.length === 0 ? null : parseResource(args[0], 'TARGET');
}

export function optionalDuration(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  const ms = parseDuration(text, flag);
  if (ms <= 0) throw new UsageError(`${flag} must be greater than 0`);
  return ms;
}

export function optionalCount(text: string | undefined, flag: string): number | null {
  return text === undefined ? null : parsePositiveInt(text, flag);
}

export type StopReason = 'interrupted' | 'duration' | 'count' | 'ended' | 'quit' | 'output-closed';

/**
 * Ends a live run on the first of: Ctrl-C (the command's signal), `--duration`, or a
 * `stop()` call (count reached, every stream gone, the user quit). `stopped` resolves with
 * the reason; later calls to stop() change nothing.
 */
export class Stopper {
  readonly stopped: Promise<StopReason>;
  reason: StopReason | null = null;
  private resolve!: (reason: StopReason) => void;
  private readonly timer: NodeJS.Timeout | null;
  private readonly onAbort = () => this.stop('interrupted');

  constructor(
    private readonly signal: AbortSignal,
    durationMs: number | null,
  ) {
    this.stopped = new Promise((resolve) => (this.resolve = resolve));
    this.timer = durationMs === null ? null : setTimeout(() => this.stop('duration'), durationMs);
    if (signal.aborted) this.stop('interrupted');
    else signal.addEventListener('abort', this.onAbort, {once: true});
  }

  stop(reason: StopReason): void {
    if (this.reason !== null) return;
    this.reason = reason;
    if (this.timer) clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onAbort);
    this.resolve(reason);
  }
}

/**
 * Stop when whoever reads stdout goes away (`meshctl tap | head`): the next write fails
 * (EPIPE), which would otherwise surface as an unhandled error. Nothing more is written.
 */
export function stopWhenOutputCloses(stdout: NodeJS.WritableStream, stopper: Stopper): void {
  stdout.on('error', () => stopper.stop('output-closed'));
}

export interface LiveOutcome {
  /** Proxies that delivered data (streams opened, or metrics read). */
  working: number;
  /** Proxies that could not be read, refused, or dropped out. */
  failed: number;
  /** Every refusal was "this family cannot do that" (e.g. all targets are Linkerd for tap). */
  allUnsupported: boolean;
  interrupted: boolean;
}

/** 130 on Ctrl-C; 4 when nothing could do it by its nature; 1 when nothing worked; 3 partial; 0 ok. */
export function liveExitCode(outcome: LiveOutcome): number {
  if (outcome.interrupted) return EXIT.INTERRUPTED;
  if (outcome.working === 0) return outcome.allUnsupported ? EXIT.UNSUPPORTED : EXIT.ERROR;
  return outcome.failed > 0 ? EXIT.PARTIAL : EXIT.OK;
}

export function isUnsupported(error: Error): boolean {
  return error instanceof UnsupportedError;
}

/**
 * stderr that can be held back while a full-screen view owns the terminal (a line written
 * under ink would tear the screen); what was held is written on release.
 */
export class HoldableWriter {
  private held: string[] | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {}

  write = (text: string): void => {
    if (text === '') return;
    if (this.held) this.held.push(text);
    else this.out.write(text);
  };

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    if (held.length > 0) this.out.write(held.join(''));
  }
}

export interface ReportedTaps {
  run: TapRun;
  warnings: WarningLog;
  /** Streams that ended without meshctl closing them so far. */
  dropped(): number;
  /** Proxies that could not be read or refused the tap. */
  failed: number;
  /** The exit code when no stream opened at all, else null. */
  noneOpened: number | null;
}

/**
 * Open a tap stream on every selected proxy and report on stderr what could not be tapped,
 * warnings, and streams the proxy dropped. Shared by `tap` and `routes --from-tap`.
 */
export async function openReportedTaps(
  ctx: CommandContext,
  session: Session,
  selection: ProxySelection,
  options: {filter: TapFilter; configId: string; onEvents(events: TrafficEvent[]): void},
): Promise<ReportedTaps> {
  const {io, signal} = ctx;
  const errChalk = stderrChalk(ctx);
  const warnings = new WarningLog((text) => io.stderr.write(text), errChalk);
  let dropped = 0;
  const run = await openTaps(selection.proxies, {
    client: session.client,
    filter: options.filter,
    configId: options.configId,
    signal,
    onEvents: options.onEvents,
    addressBook: selection.addressBook,
    onWarning: (message) => warnings.warn(message),
    onDropped: (target, reason) => {
      dropped++;
      io.stderr.write(renderDropped(target.name, reason, errChalk));
    },
  });
  io.stderr.write(renderRefusals(run.refused, errChalk));
  const failed = selection.failures.length + run.refused.length;
  const allUnsupported = selection.failures.length === 0 && run.refused.every((r) => isUnsupported(r.error));
  return {
    run,
    warnings,
    dropped: () => dropped,
    failed,
    noneOpened: run.tapped.length === 0 ? liveExitCode({working: 0, failed, allUnsupported, interrupted: signal.aborted}) : null,
  };
}
