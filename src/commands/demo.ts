import {UsageError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import {down, foreground, status, up, type Output} from '../demo/lifecycle.js';
import {parseDemoOptions, type RawDemoOptions} from '../demo/options.js';
import {parseOutputFormat, type CommandContext} from './context.js';

/** `meshctl demo [up|down|status]`: a local mesh to try every other command against. */
export async function run(ctx: CommandContext, args: string[], options: Record<string, unknown>): Promise<number> {
  const io: Output = {out: (s) => ctx.io.stdout.write(s), err: (s) => ctx.io.stderr.write(s)};
  const env = ctx.io.env;
  switch (args[0]) {
    case 'up':
      await up(parseDemoOptions(options as RawDemoOptions), env, io);
      return EXIT.OK;
    case 'down':
      await down(env, io);
      return EXIT.OK;
    case 'status': {
      const format = parseOutputFormat(String(options.output ?? 'table'), ['table', 'json'] as const);
      const {state, text} = status(env);
      io.out(format === 'json' ? `${JSON.stringify({running: state !== null, ...(state ?? {})}, null, 2)}\n` : text);
      return EXIT.OK;
    }
    case 'run':
      return runForeground(ctx, options, io);
    default:
      throw new UsageError(`unknown demo command "${args[0]}"`, 'use one of: run, up, down, status');
  }
}

async function runForeground(ctx: CommandContext, options: Record<string, unknown>, io: Output): Promise<number> {
  const parsed = parseDemoOptions(options as RawDemoOptions);
  const stop = new AbortController();
  const onTerm = () => stop.abort();
  const onAbort = () => stop.abort();
  process.once('SIGTERM', onTerm);
  ctx.signal.addEventListener('abort', onAbort, {once: true});
  try {
    await foreground(parsed, ctx.io.env, io, stop.signal);
  } finally {
    process.off('SIGTERM', onTerm);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  return ctx.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
}
