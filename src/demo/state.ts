import {closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {UserError} from '../errors.js';
import {configPath} from '../targets/config.js';
import type {DemoOptions} from './options.js';

/** One sidecar of a running demo: who it is and where meshctl reads it. */
export interface PodState {
  name: string;
  workload: string;
  namespace: string;
  dialect: 'linkerd' | 'envoy';
  /** Metrics URL (linkerd admin, or Envoy's `/stats/prometheus` listener). */
  url: string;
  /** Envoy admin URL (istio flavour). */
  admin?: string;
}

/** What a running demo writes to `<demo dir>/state.json`. */
export interface DemoState {
  version: 1;
  pid: number;
  options: DemoOptions;
  startedAt: string;
  /** The demo's control port (`GET /truth`, `GET /status`). */
  controlUrl: string;
  mtls: boolean;
  pods: PodState[];
  /** True when it runs in the foreground of a terminal (`meshctl demo`). */
  foreground: boolean;
  logFile: string | null;
}

/** `$MESHCTL_DEMO_DIR`, else `<dirname of the contexts file>/demo`. */
export function demoDir(env: NodeJS.ProcessEnv): string {
  return env.MESHCTL_DEMO_DIR || join(dirname(configPath(env)), 'demo');
}

const STATE_FILE = 'state.json';
const LOCK_FILE = 'up.lock';

export function readState(dir: string): DemoState | null {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const state = JSON.parse(text) as DemoState;
    return state && state.version === 1 && typeof state.pid === 'number' ? state : null;
  } catch {
    return null;
  }
}

export function writeState(dir: string, state: DemoState): void {
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const tmp = join(dir, `${STATE_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, {mode: 0o600});
  renameSync(tmp, join(dir, STATE_FILE));
}

/** Remove the state file, but only the one this process (or `pid`) wrote. */
export function removeState(dir: string, pid?: number): void {
  if (pid !== undefined && readState(dir)?.pid !== pid) return;
  rmSync(join(dir, STATE_FILE), {force: true});
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Serialize `demo up`/`down` runs: an exclusive lock file holding the owner's pid. A lock whose
 * owner is gone is taken over; a live one is waited for up to `waitMs`.
 */
export async function acquireLock(dir: string, waitMs = 8000): Promise<() => void> {
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (readOwner(path) === process.pid) rmSync(path, {force: true});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`cannot create ${path}: ${(error as Error).message}`);
    }
    const owner = readOwner(path);
    if (owner === null ? lockAgeMs(path) > 2000 : !isAlive(owner)) {
      rmSync(path, {force: true});
      continue;
    }
    if (Date.now() > deadline) {
      throw new UserError(`another \`meshctl demo\` command (pid ${owner}) is starting or stopping the demo`, {hint: 'wait for it to finish, then try again'});
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readOwner(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function lockAgeMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}
