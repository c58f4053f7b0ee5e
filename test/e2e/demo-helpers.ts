import {readdirSync, readFileSync} from 'node:fs';
import {connect} from 'node:net';
import {join} from 'node:path';
import type {DemoState} from '../../src/demo/state.js';
import {runCli, tempDir, type CliResult} from '../helpers/cli.js';

/** One isolated demo home: its own contexts file and state dir. */
export function demoHome(): {config: string; dir: string; cli: (args: string[], timeoutMs?: number) => Promise<CliResult>} {
  const home = tempDir('meshctl-demo-e2e-');
  const config = join(home, 'config.yaml');
  return {
    config,
    dir: join(home, 'demo'),
    cli: (args, timeoutMs = 20_000) => runCli(args, {env: {MESHCTL_CONFIG: config}, timeoutMs}),
  };
}

export function readDemoState(dir: string): DemoState | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as DemoState;
  } catch {
    return null;
  }
}

/** True while the process runs; a zombie (exited, not yet reaped by init) counts as gone. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** True when nothing accepts connections on the URL's port any more. */
export function refused(url: string): Promise<boolean> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({host: hostname, port: Number(port)});
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

export function allUrls(state: DemoState): string[] {
  return [state.controlUrl, ...state.pods.flatMap((p) => [p.url, ...(p.admin ? [p.admin] : [])])];
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
