import {spawn} from 'node:child_process';
import {closeSync, existsSync, openSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {UserError} from '../errors.js';
import type {DemoOptions} from './options.js';
import {isAlive, type DemoState} from './state.js';

/** `demo up` gives the background process this long to report that the mesh is up. */
export const READY_TIMEOUT_MS = 10_000;

/**
 * Spawn the demo daemon detached (its output goes to `<dir>/demo.log`), wait for it to report
 * its ports over IPC, then let it go. Failures come back as a UserError with the log's tail.
 */
export function launchDaemon(options: DemoOptions, dir: string, timeoutMs = READY_TIMEOUT_MS): Promise<DemoState> {
  const logFile = join(dir, 'demo.log');
  const log = openSync(logFile, 'a', 0o600);
  const daemon = fileURLToPath(new URL('./daemon.js', import.meta.url));
  const child = spawn(process.execPath, [daemon, JSON.stringify({options, dir, logFile})], {
    detached: true,
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      cleanup();
      if (child.exitCode === null) child.kill('SIGKILL');
      reject(new UserError(`the demo did not start: ${message}`, {hint: tail(logFile)}));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs / 1000}s`), timeoutMs);
    const onMessage = (message: unknown) => {
      const m = message as {type?: string; state?: DemoState; message?: string};
      if (m.type === 'ready' && m.state) {
        cleanup();
        child.disconnect();
        child.unref();
        resolve(m.state);
      } else if (m.type === 'error') fail(m.message ?? 'unknown error');
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`it exited (${signal ?? `code ${code}`})`);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', (error) => fail(error.message));
  });
}

function tail(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n').slice(-3);
    return `last lines of ${path}: ${lines.join(' | ')}`;
  } catch {
    return `see ${path}`;
  }
}

/** True when `pid` still is a demo process (not another process that reused its id). */
export function isDemoProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('daemon.js') || cmdline.includes('meshctl');
  } catch {
    // Without /proc (not Linux) a live process is taken at its word.
    return !existsSync('/proc/self');
  }
}
