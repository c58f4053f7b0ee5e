import {metricDeltas} from '../dialects/linkerd/top-deltas.js';
import {selectLiveProxies} from '../dialects/live-proxies.js';
import {measureRepeatedly} from '../dialects/measure.js';
import {ownWorkload} from '../dialects/own-workload.js';
import {openTaps} from '../dialects/tap-run.js';
import {UsageError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import type {ProxyFailure} from '../model/failure.js';
import type {Target} from '../model/target.js';
import {peerLabel} from '../model/traffic.js';
import {renderFailures} from '../render/failures.js';
import {renderDropped, renderOutputBacklog, renderRefusals, WarningLog} from '../render/tap-report.js';
import {topSnapshotLine} from '../render/top/ndjson.js';
import {parsePositiveInt} from '../util/duration.js';
import {NO_FILTER} from '../views/tap-filter.js';
import {TopAggregator} from '../views/top.js';
import {addMetricDeltas} from '../views/top-metrics.js';
import {DEFAULT_TOP_VIEW} from '../views/top-sort.js';
import {TapFeed, topMode} from '../views/top-sources.js';
import {stderrChalk, type CommandContext} from './context.js';
import {HoldableWriter, isUnsupported, liveExitCode, optionalCount, optionalDuration, parseTarget, Stopper, stopWhenOutputCloses} from './live.js';
import {openSession, type Session} from './session.js';
import {loadTopScreen} from '../render/top/load-screen.js';
import {BoundedOutput, OUTPUT_BACKLOG_LIMIT_BYTES} from './bounded-output.js';

interface TopOptions {
  routes?: boolean;
  interval: string;
  count?: string;
  duration?: string;
  maxRows: string;
  tapConfigId: string;
}

/** The screen redraws this often; the NDJSON interval is `--interval`. */
const SCREEN_REFRESH_MS = 250;
/** How often copies of a request waiting for their other side are checked (views/top-pairs.ts). */
const PAIR_RELEASE_MS = 200;
/** Metric deltas are taken over one-second windows. */
const DELTA_WINDOW_MS = 1000;

export async function run(ctx: CommandContext, args: string[], raw: Record<string, unknown>): Promise<number> {
  const options = raw as unknown as TopOptions;
  const selector = parseTarget(args);
  const intervalMs = optionalDuration(options.interval, '--interval')!;
  const snapshots = optionalCount(options.count, '--count');
  const durationMs = optionalDuration(options.duration, '--duration');
  const maxRows = parsePositiveInt(options.maxRows, '--max-rows');
  const configId = options.tapConfigId.trim();
  if (configId === '') throw new UsageError('--tap-config-id needs a value');
  const byRoute = Boolean(options.routes);

  const session = openSession(ctx);
  const {io, signal} = ctx;
  const chalk = stderrChalk(ctx);
  const stderr = new HoldableWriter(io.stderr);
  const selection = await selectLiveProxies(session.scraper, session.resolved.targets, selector, {timeoutMs: session.settings.timeoutMs, signal});
  if (signal.aborted) return EXIT.INTERRUPTED;
  stderr.write(renderFailures(selection.failures, chalk));

  const feed = new TapFeed();
  const warnings = new WarningLog(stderr.write, chalk);
  let dropped = 0;
  const taps = await openTaps(selection.proxies, {
    client: session.client,
    filter: NO_FILTER,
    configId,
    signal,
    onEvents: (events) => feed.add(events, Date.now()),
    addressBook: selection.addressBook,
    onWarning: (message) => warnings.warn(message),
    onDropped: (target, reason) => {
      dropped++;
      stderr.write(renderDropped(target.name, reason, chalk));
    },
  });
  const measured = taps.refused.filter((r) => isUnsupported(r.error)).map((r) => r.target);
  const refused = taps.refused.filter((r) => !isUnsupported(r.error));
  stderr.write(renderRefusals(refused, chalk));
  let failed = selection.failures.length + refused.length;
  if (taps.tapped.length + measured.length === 0) {
    return liveExitCode({working: 0, failed, allUnsupported: false, interrupted: signal.aborted});
  }

  const tapped = selection.proxies.filter((p) => taps.tapped.includes(p.target));
  const table = new TopAggregator({mode: topMode(taps.tapped.length, measured.length), maxRows});
  feed.attach(table, new Set(tapped.map((p) => peerLabel(ownWorkload(p.info.identity, p.target)))), tapped.length, Date.now());
  const releaser = setInterval(() => feed.release(Date.now()), PAIR_RELEASE_MS);

  const stopper = new Stopper(signal, durationMs);
  stopWhenOutputCloses(io.stdout, stopper);
  const stopMeasuring = new AbortController();
  const measuring = measureDeltas(session, measured, table, stopMeasuring.signal, (failure) => {
    failed++;
    stderr.write(renderFailures([failure], chalk));
  });
  if (measured.length === 0) void taps.allEnded.then(() => stopper.stop('ended'));

  const names = [...taps.tapped, ...measured].map((t) => t.name);
  const output = io.stdout.isTTY
    ? showScreen(ctx, table, names, byRoute, stopper, stderr)
    : printSnapshots(ctx, table, byRoute, intervalMs, snapshots, stopper);
  const reason = await stopper.stopped;
  await output;
  clearInterval(releaser);
  taps.closeAll();
  stopMeasuring.abort();
  await measuring;
  stderr.write(warnings.closing());
  return liveExitCode({working: taps.tapped.length + measured.length, failed: failed + dropped, allUnsupported: false, interrupted: reason === 'interrupted'});
}

/**
 * Not a terminal: one NDJSON snapshot of the whole table every interval. Each snapshot holds
 * everything seen so far, so one skipped while the output is not being read loses nothing
 * that the next one printed does not show.
 */
async function printSnapshots(ctx: CommandContext, table: TopAggregator, byRoute: boolean, intervalMs: number, limit: number | null, stopper: Stopper): Promise<void> {
  const chalk = stderrChalk(ctx);
  const output = new BoundedOutput(ctx.io.stdout, () => ctx.io.stderr.write(renderOutputBacklog('snapshots', OUTPUT_BACKLOG_LIMIT_BYTES, chalk)));
  let printed = 0;
  const timer = setInterval(() => {
    if (stopper.reason) return;
    const written = output.write(topSnapshotLine(table.snapshot(Date.now(), byRoute), DEFAULT_TOP_VIEW), 1);
    if (written && limit !== null && ++printed >= limit) stopper.stop('count');
  }, intervalMs);
  await stopper.stopped;
  clearInterval(timer);
  if (output.skipped > 0) ctx.io.stderr.write(`top: ${output.skipped} snapshot(s) skipped while the output was not being read\n`);
}

/** A terminal: the ink screen until the user quits, Ctrl-C, or --duration. */
async function showScreen(ctx: CommandContext, table: TopAggregator, names: string[], byRoute: boolean, stopper: Stopper, stderr: HoldableWriter): Promise<void> {
  const mountTop = await loadTopScreen();
  stderr.hold();
  const screen = mountTop(
    {source: table, targets: names, refreshMs: SCREEN_REFRESH_MS, initial: {byRoute}, onQuit: (interrupted) => stopper.stop(interrupted ? 'interrupted' : 'quit')},
    {stdout: ctx.io.stdout as NodeJS.WriteStream, stdin: ctx.io.stdin as NodeJS.ReadStream, stderr: ctx.io.stderr as NodeJS.WriteStream},
  );
  void screen.done.then(() => stopper.stop('quit'));
  await stopper.stopped;
  screen.unmount();
  await screen.done;
  stderr.release();
}

/**
 * Proxies that cannot be tapped: scrape every second and feed the per-second deltas to the
 * table. A proxy that stops answering is reported once.
 */
async function measureDeltas(
  session: Session,
  proxies: readonly Target[],
  table: TopAggregator,
  signal: AbortSignal,
  onFailure: (failure: ProxyFailure) => void,
): Promise<void> {
  if (proxies.length === 0) return;
  const reported = new Set<string>();
  const options = {windowMs: DELTA_WINDOW_MS, timeoutMs: session.settings.timeoutMs, signal};
  for await (const m of measureRepeatedly(session.scraper, proxies, options)) {
    addMetricDeltas(table, metricDeltas(m.windows));
    for (const failure of m.failures) {
      if (reported.has(failure.target.name)) continue;
      reported.add(failure.target.name);
      onFailure(failure);
    }
  }
}
