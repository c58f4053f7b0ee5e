import {UsageError, UserError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import {nowMs} from '../model/snapshot.js';
import {exitCodeFor} from '../render/failures.js';
import {renderJson, renderYaml, type FlatRecord} from '../render/records.js';
import {DEFAULT_LIMITS} from '../tracing/assembler.js';
import {collect} from '../tracing/collect.js';
import {DEFAULT_GRPC_LISTEN, parseGrpcListen, parseListen} from '../tracing/listen-address.js';
import {outputWidth} from '../tracing/render/format.js';
import {show} from '../tracing/show.js';
import {linkerdAdvice} from '../tracing/toggles/linkerd-advice.js';
import type {Intent} from '../tracing/toggles/plan.js';
import {discoverProxies, type SelectedProxy, type Selection} from '../tracing/toggles/proxies.js';
import {renderConfigNotes, renderStatusTable, statusRecord} from '../tracing/toggles/render-status.js';
import {renderNoTracerNotes, renderToggleTable, toggleRecord} from '../tracing/toggles/render-toggle.js';
import {parseSamplingFlag} from '../tracing/toggles/sampling.js';
import {readStatuses} from '../tracing/toggles/status.js';
import {toggleAll, toggleExitCode} from '../tracing/toggles/toggle.js';
import {parseDuration, parsePositiveInt} from '../util/duration.js';
import {parseResource} from '../views/resources.js';
import {parseOutputFormat, stderrChalk, stdoutChalk, type CommandContext} from './context.js';
import {openSession, type Session} from './session.js';

const FORMATS = ['table', 'json'] as const;
const RECORD_FORMATS = ['table', 'json', 'yaml'] as const;
const STATUS_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;

/** `trace collect` and `trace show`; the subcommand name comes first in `args`. */
export async function run(ctx: CommandContext, args: string[], options: Record<string, unknown>): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'collect') return runCollect(ctx, options);
  if (subcommand === 'show') return runShow(ctx, rest, options);
  if (subcommand === 'enable' || subcommand === 'disable') return runToggle(ctx, subcommand, rest, options);
  if (subcommand === 'status') return runStatus(ctx, rest, options);
  throw new UsageError(`unknown trace subcommand "${subcommand}"`, 'use: meshctl trace collect | show | enable | disable | status');
}

async function runCollect(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const output = parseOutputFormat(String(options.output), FORMATS);
  const idleMs = parseDuration(String(options.idle), '--idle');
  if (idleMs <= 0) throw new UsageError('--idle must be greater than 0');
  // Only the default gRPC port may be found taken: the user who names a port means it.
  const grpcNamed = typeof options.grpcListen === 'string';
  const grpcListen = parseGrpcListen(grpcNamed ? String(options.grpcListen) : DEFAULT_GRPC_LISTEN);
  const stopped = await collect(ctx.io, ctx.signal, {
    listen: parseListen(String(options.listen)),
    grpc: grpcListen && {listen: grpcListen, optional: !grpcNamed},
    output,
    limits: {
      ...DEFAULT_LIMITS,
      idleMs,
      maxTraces: parsePositiveInt(String(options.maxTraces), '--max-traces'),
      maxSpansPerTrace: parsePositiveInt(String(options.maxSpansPerTrace), '--max-spans-per-trace'),
    },
    maxBodyBytes: parseSize(String(options.maxBody), '--max-body'),
    savePath: typeof options.save === 'string' ? options.save : undefined,
    width: () => outputWidth(ctx.io.stdout.columns, ctx.io.env),
    chalk: stdoutChalk(ctx, output === 'json'),
    errChalk: stderrChalk(ctx),
  });
  return stopped === 'interrupted' ? EXIT.INTERRUPTED : EXIT.OK;
}

function runShow(ctx: CommandContext, args: string[], options: Record<string, unknown>): number {
  const [file, traceId] = args;
  const output = parseOutputFormat(String(options.output), FORMATS);
  return show(ctx.io, {
    file,
    traceId,
    output,
    width: outputWidth(ctx.io.stdout.columns, ctx.io.env),
    chalk: stdoutChalk(ctx, output === 'json'),
    errChalk: stderrChalk(ctx),
  });
}

/** `trace enable` / `trace disable`: runtime sampling toggles on Envoy, an explanation for Linkerd. */
async function runToggle(ctx: CommandContext, action: 'enable' | 'disable', args: string[], options: Record<string, unknown>): Promise<number> {
  const output = parseOutputFormat(String(options.output), RECORD_FORMATS);
  const intent: Intent = action === 'enable' ? {action, sampling: parseSamplingFlag(String(options.sampling))} : {action};
  const dryRun = Boolean(options.dryRun);
  const session = openSession(ctx);
  const proxies = await selectedProxies(ctx, session, args, options);
  if (ctx.signal.aborted) return EXIT.INTERRUPTED;
  // Four requests one after another at most: the listeners' configuration (alongside the
  // first /runtime read, but up to three requests long), write, read back.
  const deadlineMs = nowMs() + 5 * session.settings.timeoutMs + 500;
  const rows = await toggleAll(session.client, proxies, intent, {dryRun, concurrency: session.settings.concurrency, deadlineMs, signal: ctx.signal});
  if (ctx.signal.aborted) return EXIT.INTERRUPTED;

  writeRecords(ctx, output, rows.map((row) => toggleRecord(row, dryRun)), () => renderToggleTable(rows, {dryRun, chalk: stdoutChalk(ctx, false)}));
  const linkerd = rows.filter((r) => r.result === 'unsupported').map((r) => ({...r.proxy, collector: r.linkerd?.collector}));
  if (linkerd.length > 0) ctx.io.stderr.write(`\n${linkerdAdvice(linkerd, action)}`);
  if (action === 'enable') ctx.io.stderr.write(renderNoTracerNotes(rows, stderrChalk(ctx)));
  if (dryRun) ctx.io.stderr.write('dry run: nothing was sent to any proxy\n');
  return toggleExitCode(rows);
}

/**
 * `trace status`: every selected proxy's sampling state, from /runtime and /config_dump (Envoy)
 * or /env.json (Linkerd). A proxy whose listener configuration cannot be read still counts as
 * answered (its runtime row is printed, with a note on stderr), so it alone never makes the
 * exit code 3; only a proxy that cannot be read at all does.
 */
async function runStatus(ctx: CommandContext, args: string[], options: Record<string, unknown>): Promise<number> {
  const output = parseOutputFormat(String(options.output), STATUS_FORMATS);
  const session = openSession(ctx);
  const proxies = await selectedProxies(ctx, session, args, options);
  if (ctx.signal.aborted) return EXIT.INTERRUPTED;
  // /runtime alongside up to three /config_dump reads one after another.
  const deadlineMs = nowMs() + 3 * session.settings.timeoutMs + 500;
  const rows = await readStatuses(session.client, proxies, {concurrency: session.settings.concurrency, deadlineMs, signal: ctx.signal});
  if (ctx.signal.aborted) return EXIT.INTERRUPTED;
  const records = rows.map(statusRecord);
  if (output === 'wide' || output === 'table') ctx.io.stdout.write(`${renderStatusTable(rows, stdoutChalk(ctx, false), output === 'wide')}\n`);
  else writeRecords(ctx, output, records, () => '');
  ctx.io.stderr.write(renderConfigNotes(rows, stderrChalk(ctx)));
  const failed = rows.filter((r) => r.error !== null).length;
  return exitCodeFor(rows.length - failed, failed);
}

/** The proxies TARGET arguments and -n/-A select, each read once to learn its family and identity. */
async function selectedProxies(ctx: CommandContext, session: Session, args: string[], options: Record<string, unknown>): Promise<SelectedProxy[]> {
  if (options.namespace && options.allNamespaces) throw new UsageError('use either -n or -A, not both');
  const selection: Selection = {
    selectors: args.map((a) => parseResource(a, 'target')),
    namespace: options.allNamespaces ? null : (options.namespace as string | undefined) ?? session.resolved.defaultNamespace ?? null,
  };
  const deadlineMs = nowMs() + 2 * session.settings.timeoutMs + 500;
  const proxies = await discoverProxies(session.scraper, session.resolved.targets, selection, {deadlineMs, signal: ctx.signal});
  if (proxies.length === 0 && !ctx.signal.aborted) {
    const what = [args.join(' '), selection.namespace ? `in namespace ${selection.namespace}` : ''].filter(Boolean).join(' ');
    throw new UserError(`no proxy matches ${what || 'the selection'}`, {hint: '`meshctl proxies` lists the proxies of this context with their workloads and namespaces'});
  }
  return proxies;
}

function writeRecords(ctx: CommandContext, output: (typeof RECORD_FORMATS)[number], records: FlatRecord[], table: () => string): void {
  if (output === 'json') ctx.io.stdout.write(renderJson(records));
  else if (output === 'yaml') ctx.io.stdout.write(renderYaml(records));
  else ctx.io.stdout.write(`${table()}\n`);
}

const SIZE_UNITS: Record<string, number> = {'': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3};

/** A byte size such as `20MiB`, `64KiB`, `1MB` or `65536`. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match?.[2].toLowerCase() ?? '';
  if (!match || !Object.hasOwn(SIZE_UNITS, unit) || Number(match[1]) * SIZE_UNITS[unit] < 1) {
    throw new UsageError(`invalid size "${text}" for ${flag}`, 'use e.g. 20MiB, 512KiB or a number of bytes');
  }
  return Math.floor(Number(match[1]) * SIZE_UNITS[unit]);
}
