import type {DemoOptions} from './options.js';
import {runDemo} from './run.js';

/**
 * The background demo process `meshctl demo up` spawns: `node daemon.js '<json>'` with
 * `{options, dir, logFile}`. It reports readiness (or failure) to its parent over IPC and runs
 * until SIGTERM/SIGINT.
 */
interface DaemonArgs {
  options: DemoOptions;
  dir: string;
  logFile: string | null;
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as DaemonArgs;
  // A fault in one connection must not take the whole mesh down; it is logged instead.
  process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (error) => log(`unhandled rejection: ${String(error)}`));
  let demo;
  try {
    demo = await runDemo(args.options, args.dir, {foreground: false, logFile: args.logFile});
  } catch (error) {
    process.send?.({type: 'error', message: (error as Error).message});
    log(`failed to start: ${(error as Error).stack ?? error}`);
    process.exit(1);
  }
  const stop = (signal: string) => {
    log(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    demo.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {});
  log(`started ${args.options.flavor} demo, control ${demo.state.controlUrl}`);
  process.send?.({type: 'ready', state: demo.state});
  // The parent goes away after reading this; the daemon lives on without it.
  process.on('disconnect', () => {});
}

void main();
