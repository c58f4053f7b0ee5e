import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {tempDir} from '../../helpers/cli.js';
import {REPO_ROOT} from '../../helpers/fixtures.js';

export interface CollectorResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CollectorProcess {
  /** http://127.0.0.1:PORT/v1/traces, read from the collector's "listening on" line. */
  url: string;
  /** 127.0.0.1:PORT of its OTLP/gRPC receiver, or null when it has none. */
  grpcAddress: string | null;
  stdout(): string;
  stderr(): string;
  /** Resolve once the condition holds on the output so far; reject after `timeoutMs`. */
  waitFor(condition: (stdout: string, stderr: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Send a signal (Ctrl-C by default) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<CollectorResult>;
}

const running = new Set<ChildProcess>();

/** Kill anything a failed test left running (call from afterEach). */
export function killLeftoverCollectors(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Start the built CLI's `trace collect` on 127.0.0.1 with ephemeral ports (OTLP/HTTP, and
 * OTLP/gRPC unless `args` or `options.defaultGrpc` say otherwise), as a user would, and learn
 * the ports from its startup lines. The child is SIGKILLed after `lifetimeMs` whatever
 * happens, so no test can hang on it.
 */
export function startCollector(args: string[] = [], lifetimeMs = 25_000, options: {defaultGrpc?: boolean} = {}): Promise<CollectorProcess> {
  const grpc = args.includes('--grpc-listen') || options.defaultGrpc ? [] : ['--grpc-listen', '127.0.0.1:0'];
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'meshctl.js'), 'trace', 'collect', '--listen', '127.0.0.1:0', ...grpc, ...args], {
    env: {PATH: process.env.PATH ?? '', HOME: tempDir(), MESHCTL_CONFIG: join(tempDir(), 'config.yaml'), TZ: 'UTC', COLUMNS: '100'},
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout?.setEncoding('utf8').on('data', (d: string) => ((stdout += d), notify()));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => ((stderr += d), notify()));
  const exited = new Promise<CollectorResult>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(killer);
      notify();
      resolve({code, signal, stdout, stderr});
    });
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), lifetimeMs);

  const waitFor = (condition: (out: string, err: string) => boolean, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (condition(stdout, stderr)) {
          cleanup();
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(new Error(`collector exited early\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for the collector\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  return waitFor((_, err) => err.includes('Ctrl-C to stop\n')).then(() => ({
    url: (/listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(stderr) as RegExpExecArray)[1],
    grpcAddress: /listening on (127\.0\.0\.1:\d+) \(OTLP\/gRPC/.exec(stderr)?.[1] ?? null,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor,
    stop: (signal: NodeJS.Signals = 'SIGINT') => {
      child.kill(signal);
      return exited;
    },
  }));
}

/** The NDJSON records of a collector's stdout, of one type. */
export function records(stdout: string, type: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.type === type);
}
