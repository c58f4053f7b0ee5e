import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {REPO_ROOT} from './fixtures.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** Kill the CLI after this long (the test then fails on the result, it does not hang). */
  timeoutMs?: number;
  input?: string;
}

/** A throwaway directory for contexts files and other per-test state. */
export function tempDir(prefix = 'meshctl-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A minimal environment: no colour or terminal settings leak in from the developer's shell,
 * and MESHCTL_CONFIG points into a fresh temp dir unless the test sets it.
 */
function cliEnv(options: CliOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    MESHCTL_CONFIG: join(tempDir(), 'config.yaml'),
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Run the built CLI (bin/meshctl.js → dist/) as a user would. The environment is minimal and
 * MESHCTL_CONFIG points into a fresh temp dir unless the test sets it, so no test ever reads
 * or writes the developer's own contexts file.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = cliEnv(options);
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'meshctl.js'), ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({code, signal, stdout, stderr, durationMs: performance.now() - started});
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface RunningCli {
  child: import('node:child_process').ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
}

/** Start the built CLI and keep it running (for --watch, collectors, streams); the test ends it. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const env = cliEnv(options);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'meshctl.js'), ...args], {env, stdio: ['pipe', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({code, signal});
    }),
  );
  return {child, stdout: () => stdout, stderr: () => stderr, exited};
}

/** Wait until `predicate` holds, polling; fails the test after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
