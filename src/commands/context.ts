import {UsageError} from '../errors.js';
import {makeChalk, shouldColor, type ChalkInstance} from '../render/color.js';
import {parseHeaderFlags, resolveTargets, type ResolvedTargets} from '../targets/resolve.js';
import {loadTls} from '../targets/tls.js';
import type {TlsMaterial} from '../transport/types.js';
import {parseDuration, parsePositiveInt} from '../util/duration.js';

/** Options every command accepts (defined once on the program in cli.ts). */
export interface GlobalOptions {
  proxy: string[];
  context?: string;
  dialect?: string;
  header: string[];
  timeout: string;
  concurrency: string;
  color?: boolean;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
}

/** Where a command writes, and what it knows about the terminal. Tests pass their own. */
export interface Io {
  stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number};
  stderr: NodeJS.WritableStream & {isTTY?: boolean};
  stdin: NodeJS.ReadableStream & {isTTY?: boolean; setRawMode?: (mode: boolean) => unknown};
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  io: Io;
  globals: GlobalOptions;
  /** Aborted on Ctrl-C; long-running commands stop and return 130. */
  signal: AbortSignal;
}

/** The settings the transport needs, parsed and validated from the global flags. */
export interface ReadSettings {
  timeoutMs: number;
  concurrency: number;
  headers: Record<string, string>;
  tls?: TlsMaterial;
}

export function readSettings(globals: GlobalOptions, resolved?: ResolvedTargets): ReadSettings {
  const timeoutMs = parseDuration(globals.timeout, '--timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be greater than 0');
  return {
    timeoutMs,
    concurrency: parsePositiveInt(globals.concurrency, '--concurrency'),
    headers: {...(resolved?.headers ?? {}), ...parseHeaderFlags(globals.header)},
    tls: loadTls(globals, resolved?.tls),
  };
}

export function targetsFor(ctx: CommandContext): ResolvedTargets {
  return resolveTargets(
    {proxy: ctx.globals.proxy, context: ctx.globals.context, dialect: ctx.globals.dialect},
    ctx.io.env,
  );
}

/** Colour for stdout, per the rules in render/color.ts. */
export function stdoutChalk(ctx: CommandContext, machineOutput: boolean): ChalkInstance {
  return makeChalk(
    shouldColor({flag: ctx.globals.color, env: ctx.io.env, isTTY: Boolean(ctx.io.stdout.isTTY), machineOutput}),
  );
}

/** Colour for stderr messages (warnings, per-proxy errors). */
export function stderrChalk(ctx: CommandContext): ChalkInstance {
  return makeChalk(
    shouldColor({flag: ctx.globals.color, env: ctx.io.env, isTTY: Boolean(ctx.io.stderr.isTTY), machineOutput: false}),
  );
}

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown output format "${value}"`, `use one of: ${allowed.join(', ')}`);
}

export function isMachineFormat(format: string): boolean {
  return format === 'json' || format === 'yaml' || format === 'ndjson';
}
