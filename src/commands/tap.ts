import {selectLiveProxies} from '../dialects/live-proxies.js';
import {UsageError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import type {TrafficEvent} from '../model/traffic.js';
import {renderFailures} from '../render/failures.js';
import {ndjsonLine, tapLines, tapRecord} from '../render/tap-line.js';
import {renderOutputBacklog, renderTapTally} from '../render/tap-report.js';
import {parseTapFilter, type TapFilterFlags} from '../views/tap-filter.js';
import {TapPipeline} from '../views/tap-pipeline.js';
import {redactEvent} from '../views/tap-redact.js';
import {BoundedOutput, OUTPUT_BACKLOG_LIMIT_BYTES} from './bounded-output.js';
import {parseOutputFormat, stderrChalk, type CommandContext} from './context.js';
import {liveExitCode, openReportedTaps, optionalCount, optionalDuration, parseTarget, Stopper, stopWhenOutputCloses, type StopReason} from './live.js';
import {openSession} from './session.js';

interface TapOptions extends TapFilterFlags {
  tapConfigId: string;
  maxRps?: string;
  count?: string;
  duration?: string;
  output: string;
  showSecrets?: boolean;
}

const TAP_FORMATS = ['text', 'json', 'ndjson'] as const;
/** How often held events are released when no new ones arrive. */
const TICK_MS = 100;
/** How long events wait for other proxies' streams before release, when several are tapped. */
const MERGE_DELAY_MS = 500;

export async function run(ctx: CommandContext, args: string[], raw: Record<string, unknown>): Promise<number> {
  const options = raw as unknown as TapOptions;
  const selector = parseTarget(args);
  const filter = parseTapFilter(options);
  const format = parseOutputFormat(options.output, TAP_FORMATS);
  const maxRps = optionalCount(options.maxRps, '--max-rps');
  const limit = optionalCount(options.count, '--count');
  const durationMs = optionalDuration(options.duration, '--duration');
  const configId = options.tapConfigId.trim();
  if (configId === '') throw new UsageError('--tap-config-id needs a value');

  const session = openSession(ctx);
  const {io, signal} = ctx;
  const errChalk = stderrChalk(ctx);
  const selection = await selectLiveProxies(session.scraper, session.resolved.targets, selector, {timeoutMs: session.settings.timeoutMs, signal});
  if (signal.aborted) return EXIT.INTERRUPTED;
  io.stderr.write(renderFailures(selection.failures, errChalk));

  const pipeline = new TapPipeline({filter, maxRps, limit, mergeDelayMs: selection.proxies.length > 1 ? MERGE_DELAY_MS : 0});
  const render = (event: TrafficEvent) => {
    const shown = redactEvent(event, Boolean(options.showSecrets));
    return format === 'text' ? `${tapLines(shown).join('\n')}\n` : ndjsonLine(tapRecord(shown));
  };
  // Started before the streams open: events can arrive while other proxies still answer.
  const started = Date.now();
  const stopper = new Stopper(signal, durationMs);
  stopWhenOutputCloses(io.stdout, stopper);
  const output = new BoundedOutput(io.stdout, () => io.stderr.write(renderOutputBacklog('requests', OUTPUT_BACKLOG_LIMIT_BYTES, errChalk)));
  const write = (events: TrafficEvent[]) => {
    if (events.length > 0 && stopper.reason !== 'output-closed') output.write(events.map(render).join(''), events.length);
  };
  const print = (events: TrafficEvent[]) => {
    if (stopper.reason) return;
    write(events);
    if (pipeline.done) stopper.stop('count');
  };
  const {run: taps, warnings, dropped, failed, noneOpened} = await openReportedTaps(ctx, session, selection, {
    filter,
    configId,
    onEvents: (events) => print(pipeline.add(events, Date.now())),
  });
  if (noneOpened !== null) {
    stopper.stop('ended');
    return noneOpened;
  }
  if (io.stderr.isTTY) io.stderr.write(`tapping ${taps.tapped.map((t) => t.name).join(', ')} · Ctrl-C to stop\n`);

  void taps.allEnded.then(() => stopper.stop('ended'));
  const ticker = setInterval(() => print(pipeline.tick(Date.now())), TICK_MS);
  const reason = await stopper.stopped;
  clearInterval(ticker);
  taps.closeAll();
  write(pipeline.drain());
  io.stderr.write(warnings.closing());
  io.stderr.write(
    renderTapTally({
      shown: pipeline.shown - output.skipped,
      unprinted: output.skipped,
      matched: pipeline.matched,
      sampledOut: pipeline.sampledOut,
      proxies: taps.tapped.length,
      elapsedMs: Date.now() - started,
      stoppedBy: stopText(reason, options),
    }),
  );
  return liveExitCode({working: taps.tapped.length, failed: failed + dropped(), allUnsupported: false, interrupted: reason === 'interrupted'});
}

function stopText(reason: StopReason, options: TapOptions): string {
  switch (reason) {
    case 'count':
      return `--count ${options.count} reached`;
    case 'duration':
      return `--duration ${options.duration} elapsed`;
    case 'ended':
      return 'every tap stream ended';
    case 'output-closed':
      return 'output closed';
    default:
      return 'interrupted';
  }
}
