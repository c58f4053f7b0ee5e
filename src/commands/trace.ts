import {UsageError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import {DEFAULT_LIMITS} from '../tracing/assembler.js';
import {collect} from '../tracing/collect.js';
import {parseListen} from '../tracing/listen-address.js';
import {outputWidth} from '../tracing/render/format.js';
import {show} from '../tracing/show.js';
import {parseDuration, parsePositiveInt} from '../util/duration.js';
import {parseOutputFormat, stderrChalk, stdoutChalk, type CommandContext} from './context.js';

const FORMATS = ['table', 'json'] as const;

/** `trace collect` and `trace show`; the subcommand name comes first in `args`. */
export async function run(ctx: CommandContext, args: string[], options: Record<string, unknown>): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'collect') return runCollect(ctx, options);
  if (subcommand === 'show') return runShow(ctx, rest, options);
  throw new UsageError(`unknown trace subcommand "${subcommand}"`, 'use: meshctl trace collect | meshctl trace show FILE [TRACE_ID]');
}

async function runCollect(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const output = parseOutputFormat(String(options.output), FORMATS);
  const idleMs = parseDuration(String(options.idle), '--idle');
  if (idleMs <= 0) throw new UsageError('--idle must be greater than 0');
  const stopped = await collect(ctx.io, ctx.signal, {
    listen: parseListen(String(options.listen)),
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
