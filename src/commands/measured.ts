import {measureOnce, measureRepeatedly, type Measurement} from '../dialects/measure.js';
import {EXIT} from '../exit-codes.js';
import {countdown} from '../render/countdown.js';
import {exitCodeFor, renderFailures} from '../render/failures.js';
import {renderJson, renderNdjson, renderYaml, type FlatRecord} from '../render/records.js';
import {isMachineFormat, stderrChalk, type CommandContext} from './context.js';
import type {Session} from './session.js';

/** What a windowed view makes of one measurement. */
export interface ViewOutput {
  /** The human rendering (table, graph, …) for this format. */
  text(): string;
  records(): FlatRecord[];
  /** Said on stderr when the view is empty although proxies answered. */
  emptyNote: string | null;
  /** Other one-line remarks for stderr (e.g. a drawing that had to be reduced to fit). */
  notes?(): string[];
}

export interface MeasuredOptions {
  windowMs: number;
  windowText: string;
  watch: boolean;
  /** `json` / `yaml` print records; anything else prints `text()`. */
  format: string;
}

/**
 * The shared life of stat, routes and topology: measure a window (or keep measuring with
 * --watch), render, report per-proxy failures on stderr, and answer with the exit code.
 * With --watch the screen is redrawn on a terminal, and NDJSON (one record per line, stamped
 * with `time`) is printed otherwise.
 */
export async function runMeasured(ctx: CommandContext, session: Session, options: MeasuredOptions, view: (m: Measurement) => ViewOutput): Promise<number> {
  const errChalk = stderrChalk(ctx);
  const measureOptions = {
    windowMs: options.windowMs,
    timeoutMs: session.settings.timeoutMs,
    signal: ctx.signal,
    onWait: countdown(ctx.io.stderr, options.windowMs),
  };

  if (options.watch) {
    const ndjson = isMachineFormat(options.format) || !ctx.io.stdout.isTTY;
    let code: number = EXIT.OK;
    for await (const m of measureRepeatedly(session.scraper, session.resolved.targets, measureOptions)) {
      const output = view(m);
      if (ndjson) {
        const time = new Date().toISOString();
        ctx.io.stdout.write(renderNdjson(output.records().map((r) => ({time, ...r}))));
      } else {
        ctx.io.stdout.write(`\x1b[2J\x1b[H${new Date().toLocaleTimeString()} · every ${options.windowText} · Ctrl-C to stop\n\n${output.text()}`);
      }
      ctx.io.stderr.write(renderFailures(m.failures, errChalk));
      code = exitCodeFor(m.windows.length, m.failures.length);
    }
    return ctx.signal.aborted ? EXIT.INTERRUPTED : code;
  }

  const m = await measureOnce(session.scraper, session.resolved.targets, measureOptions);
  if (ctx.signal.aborted) return EXIT.INTERRUPTED;
  if (m.windows.length === 0) {
    // Nothing answered: a table of dashes would only hide the errors below it.
    ctx.io.stderr.write(renderFailures(m.failures, errChalk));
    return EXIT.ERROR;
  }
  const output = view(m);
  if (options.format === 'json') ctx.io.stdout.write(renderJson(output.records()));
  else if (options.format === 'yaml') ctx.io.stdout.write(renderYaml(output.records()));
  else ctx.io.stdout.write(output.text());
  for (const note of output.notes?.() ?? []) ctx.io.stderr.write(`${note}\n`);
  ctx.io.stderr.write(renderFailures(m.failures, errChalk));
  if (output.emptyNote && m.windows.length > 0) ctx.io.stderr.write(`${output.emptyNote}\n`);
  return exitCodeFor(m.windows.length, m.failures.length);
}
