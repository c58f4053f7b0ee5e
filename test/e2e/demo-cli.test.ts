import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {readContextsFile} from '../../src/targets/config.js';
import {REPO_ROOT} from '../helpers/fixtures.js';
import {allUrls, alive, demoHome, processesMentioning, readDemoState, refused, waitUntil} from './demo-helpers.js';

const homes: Array<ReturnType<typeof demoHome>> = [];
function home() {
  const h = demoHome();
  homes.push(h);
  return h;
}

/** Whatever a test left running is stopped, so no test leaks a process or a port. */
afterEach(async () => {
  for (const h of homes.splice(0)) {
    await h.cli(['demo', 'down']);
    for (const pid of processesMentioning(h.dir)) process.kill(pid, 'SIGKILL');
  }
});

describe('meshctl demo (built CLI)', () => {
  it('up starts the mesh in the background, writes the context, and down removes every trace of it', async () => {
    const h = home();
    const up = await h.cli(['demo', 'up', '--flavor', 'linkerd', '--rps', '5', '--seed', '11']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/Started the bookstore mesh in the background \(pid \d+/);
    expect(up.stdout).toContain('meshctl stat');
    const state = readDemoState(h.dir)!;
    expect(alive(state.pid)).toBe(true);
    const contexts = readContextsFile(h.config);
    expect(contexts['current-context']).toBe('demo');
    expect(contexts.contexts.demo.proxies.map((p) => p.workload).sort()).toEqual(['authors', 'books', 'traffic', 'webapp', 'webapp']);
    for (const pod of state.pods) expect((await fetch(`${pod.url}/ready`)).status).toBe(200);

    const first = (await (await fetch(`${state.controlUrl}/truth`)).json()) as {hops: Array<{count: number}>};
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const second = (await (await fetch(`${state.controlUrl}/truth`)).json()) as {hops: Array<{count: number}>};
    const total = (t: {hops: Array<{count: number}>}) => t.hops.reduce((n, x) => n + x.count, 0);
    expect(total(second)).toBeGreaterThan(total(first));

    const status = await h.cli(['demo', 'status']);
    expect(status.stdout).toMatch(/^demo: running in the background \(pid \d+/);

    const down = await h.cli(['demo', 'down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`Stopped the linkerd demo (pid ${state.pid})`);
    expect(alive(state.pid)).toBe(false);
    expect(processesMentioning(h.dir)).toEqual([]);
    for (const url of allUrls(state)) expect(await refused(url), url).toBe(true);
    expect(readContextsFile(h.config).contexts.demo).toBeUndefined();
    expect(readDemoState(h.dir)).toBeNull();
    expect((await h.cli(['demo', 'status'])).stdout).toBe('demo: not running\n');
  });

  it('two concurrent ups start exactly one demo', async () => {
    const h = home();
    const [a, b] = await Promise.all([h.cli(['demo', 'up', '--rps', '2']), h.cli(['demo', 'up', '--rps', '2'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([a.stdout, b.stdout].filter((o) => o.includes('already running'))).toHaveLength(1);
    const state = readDemoState(h.dir)!;
    expect(processesMentioning(h.dir)).toEqual([state.pid]);
  });

  it('cleans up after a demo that crashed, and replaces one of another flavour', async () => {
    const h = home();
    expect((await h.cli(['demo', 'up', '--rps', '2'])).code).toBe(0);
    const crashed = readDemoState(h.dir)!;
    process.kill(crashed.pid, 'SIGKILL');
    await waitUntil(() => !alive(crashed.pid), 2000);
    const status = await h.cli(['demo', 'status']);
    expect(status.stdout).toBe(`demo: not running (cleaned up the state of a demo that had died, pid ${crashed.pid})\n`);

    const again = await h.cli(['demo', 'up', '--rps', '2']);
    expect(again.code, again.stderr).toBe(0);
    const linkerd = readDemoState(h.dir)!;
    expect(linkerd.pid).not.toBe(crashed.pid);

    const istio = await h.cli(['demo', 'up', '--flavor', 'istio', '--rps', '2']);
    expect(istio.code, istio.stderr).toBe(0);
    expect(istio.stderr).toContain(`replacing the running linkerd demo (pid ${linkerd.pid})`);
    expect(alive(linkerd.pid)).toBe(false);
    const state = readDemoState(h.dir)!;
    expect(state.options.flavor).toBe('istio');
    // Istio sidecars decide sampling themselves; the linkerd flavour's load generator starts traces.
    expect(state.options.traceShare).toBe(0);
    expect(linkerd.options.traceShare).toBe(0.1);
    expect(readContextsFile(h.config).contexts.demo.proxies.every((p) => p.dialect === 'envoy' && p.admin)).toBe(true);
  });

  it('refuses bad flags with a usage error and no stack trace', async () => {
    const h = home();
    for (const args of [['--rps', '0'], ['--otlp-grpc', '10.1.2.3:4317'], ['--otlp-http', 'http://127.0.0.1:4318/v1/traces'], ['--flavor', 'consul']]) {
      const r = await h.cli(['demo', 'up', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readDemoState(h.dir)).toBeNull();
  });

  it('runs in the foreground until Ctrl-C, then removes its context', async () => {
    const h = home();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'meshctl.js'), 'demo', '--rps', '2'], {
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MESHCTL_CONFIG: h.config},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      expect(await waitUntil(() => stdout.includes('Press Ctrl-C to stop.'), 10_000)).toBe(true);
      const state = readDemoState(h.dir)!;
      expect(state.foreground).toBe(true);
      expect(readContextsFile(h.config)['current-context']).toBe('demo');
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(readContextsFile(h.config).contexts.demo).toBeUndefined();
      expect(readDemoState(h.dir)).toBeNull();
      for (const url of allUrls(state)) expect(await refused(url), url).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
