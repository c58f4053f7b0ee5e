import {UserError} from '../errors.js';
import {configPath} from '../targets/config.js';
import {installContext, uninstallContext} from './context-entry.js';
import {isDemoProcess, launchDaemon} from './launch.js';
import type {DemoOptions} from './options.js';
import {renderStarted, renderStatus} from './render.js';
import {runDemo} from './run.js';
import {acquireLock, demoDir, readState, removeState, type DemoState} from './state.js';

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The demo recorded in the state dir, if its process is still alive; a dead one's state is removed. */
export function currentDemo(dir: string): {state: DemoState | null; stale: number | null} {
  const state = readState(dir);
  if (!state) return {state: null, stale: null};
  if (isDemoProcess(state.pid)) return {state, stale: null};
  removeState(dir, state.pid);
  return {state: null, stale: state.pid};
}

/**
 * `demo up`: start the mesh in the background and make the `demo` context current. A demo
 * already running with the same flavour is left alone (its context is re-installed); one with
 * another flavour is replaced. A crashed demo's leftovers are cleaned up first.
 */
export async function up(options: DemoOptions, env: NodeJS.ProcessEnv, io: Output): Promise<DemoState> {
  const dir = demoDir(env);
  const contexts = configPath(env);
  const release = await acquireLock(dir);
  try {
    const {state: running, stale} = currentDemo(dir);
    if (stale) io.err(`meshctl: cleaned up a demo that had died (pid ${stale})\n`);
    if (running && running.options.flavor === options.flavor) {
      const previous = installContext(contexts, running);
      io.out(renderStarted(running, contexts, previous, true));
      return running;
    }
    if (running) {
      if (running.foreground) throw new UserError(`the ${running.options.flavor} demo runs in the foreground (pid ${running.pid})`, {hint: 'stop it with Ctrl-C in its terminal first'});
      io.err(`meshctl: replacing the running ${running.options.flavor} demo (pid ${running.pid}) with a ${options.flavor} one\n`);
      await terminate(running.pid);
      removeState(dir, running.pid);
    }
    const state = await launchDaemon(options, dir);
    const previous = installContext(contexts, state);
    io.out(renderStarted(state, contexts, previous));
    return state;
  } finally {
    release();
  }
}

/** `demo down`: stop the demo's process (SIGTERM, then SIGKILL), remove its state and its context. */
export async function down(env: NodeJS.ProcessEnv, io: Output): Promise<void> {
  const dir = demoDir(env);
  const release = await acquireLock(dir);
  try {
    const state = readState(dir);
    if (state && isDemoProcess(state.pid)) {
      await terminate(state.pid);
      io.out(`Stopped the ${state.options.flavor} demo (pid ${state.pid}).\n`);
    } else {
      io.out(state ? `The demo (pid ${state.pid}) had already stopped; cleaned up.\n` : 'No demo is running.\n');
    }
    if (state) removeState(dir, state.pid);
    const {removed, restored} = uninstallContext(configPath(env));
    if (removed) io.out(`Removed context "demo"${restored ? `; "${restored}" is current again` : ''}.\n`);
  } finally {
    release();
  }
}

export function status(env: NodeJS.ProcessEnv): {state: DemoState | null; text: string} {
  const {state, stale} = currentDemo(demoDir(env));
  return {state, text: renderStatus(state, stale)};
}

/** `meshctl demo`: run the mesh in this process until `signal` aborts, then clean up. */
export async function foreground(options: DemoOptions, env: NodeJS.ProcessEnv, io: Output, signal: AbortSignal): Promise<void> {
  const dir = demoDir(env);
  const contexts = configPath(env);
  const release = await acquireLock(dir);
  let demo;
  try {
    const {state: running, stale} = currentDemo(dir);
    if (stale) io.err(`meshctl: cleaned up a demo that had died (pid ${stale})\n`);
    if (running) throw new UserError(`the ${running.options.flavor} demo is already running (pid ${running.pid})`, {hint: 'stop it with `meshctl demo down` first'});
    demo = await runDemo(options, dir, {foreground: true, logFile: null});
    const previous = installContext(contexts, demo.state);
    io.out(renderStarted(demo.state, contexts, previous));
  } finally {
    release();
  }
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), {once: true});
  });
  await demo.stop();
  const {restored} = uninstallContext(contexts);
  io.out(`\nStopped the demo and removed context "demo"${restored ? `; "${restored}" is current again` : ''}.\n`);
}

/** SIGTERM, wait up to 5 s, then SIGKILL and wait up to 2 s more. */
async function terminate(pid: number): Promise<void> {
  const gone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!isDemoProcess(pid)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return !isDemoProcess(pid);
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await gone(5000)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  if (!(await gone(2000))) throw new UserError(`the demo process (pid ${pid}) did not stop`);
}
