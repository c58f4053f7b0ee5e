import {spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CONTEXT_NAME, installContext, uninstallContext} from '../../src/demo/context-entry.js';
import {currentDemo} from '../../src/demo/lifecycle.js';
import {acquireLock, demoDir, readState, writeState, type DemoState} from '../../src/demo/state.js';
import {readContextsFile} from '../../src/targets/config.js';
import {tempDir} from '../helpers/cli.js';
import {demoOptions} from './helpers/mesh.js';

function state(pid: number, flavor: 'linkerd' | 'istio' = 'istio'): DemoState {
  return {
    version: 1,
    pid,
    options: demoOptions({flavor}),
    startedAt: new Date().toISOString(),
    controlUrl: 'http://127.0.0.1:1',
    mtls: true,
    pods: [
      {name: 'webapp-abcdefghj-xyzkl', workload: 'webapp', namespace: 'booksapp', dialect: 'envoy', url: 'http://127.0.0.1:2', admin: 'http://127.0.0.1:3'},
      {name: 'books-abcdefghj-xyzkm', workload: 'books', namespace: 'booksapp', dialect: 'envoy', url: 'http://127.0.0.1:4', admin: 'http://127.0.0.1:5'},
    ],
    foreground: false,
    logFile: null,
  };
}

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('demo state directory', () => {
  it('lives beside the contexts file unless MESHCTL_DEMO_DIR says otherwise', () => {
    expect(demoDir({MESHCTL_CONFIG: '/x/y/config.yaml'})).toBe('/x/y/demo');
    expect(demoDir({MESHCTL_CONFIG: '/x/y/config.yaml', MESHCTL_DEMO_DIR: '/z'})).toBe('/z');
  });

  it('cleans up the state of a demo whose process died', async () => {
    const dir = tempDir();
    const pid = await deadPid();
    writeState(dir, state(pid));
    expect(currentDemo(dir)).toEqual({state: null, stale: pid});
    expect(readState(dir)).toBeNull();
  });

  it('treats a corrupt state file as no demo', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.json'), '{not json');
    expect(currentDemo(dir)).toEqual({state: null, stale: null});
  });

  it('lets only one command hold the lock, and takes over a dead owner\'s lock', async () => {
    const dir = tempDir();
    const release = await acquireLock(dir);
    await expect(acquireLock(dir, 200)).rejects.toThrow(/another `meshctl demo` command \(pid \d+\)/);
    release();
    (await acquireLock(dir, 200))();
    writeFileSync(join(dir, 'up.lock'), String(await deadPid()));
    const again = await acquireLock(dir, 200);
    expect(readFileSync(join(dir, 'up.lock'), 'utf8')).toBe(String(process.pid));
    again();
  });
});

describe('the demo context', () => {
  const contextsFile = (text: string) => {
    const path = join(tempDir(), 'config.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('lists every sidecar, becomes current, and remembers what was current', () => {
    const path = contextsFile('# my clusters\ncurrent-context: prod\ncontexts:\n  prod:\n    proxies: [http://10.0.0.1:4191]\n');
    expect(installContext(path, state(1))).toBe('prod');
    const file = readContextsFile(path);
    expect(file['current-context']).toBe(CONTEXT_NAME);
    expect(file.contexts.demo).toEqual({
      namespace: 'booksapp',
      proxies: [
        {url: 'http://127.0.0.1:2', admin: 'http://127.0.0.1:3', name: 'webapp-abcdefghj-xyzkl', namespace: 'booksapp', workload: 'webapp', dialect: 'envoy'},
        {url: 'http://127.0.0.1:4', admin: 'http://127.0.0.1:5', name: 'books-abcdefghj-xyzkm', namespace: 'booksapp', workload: 'books', dialect: 'envoy'},
      ],
      'previous-context': 'prod',
      headers: undefined,
    });
    // Replacing the demo keeps the user's context as the one to go back to.
    expect(installContext(path, state(2, 'linkerd'))).toBe('prod');
    expect(uninstallContext(path)).toEqual({removed: true, restored: 'prod'});
    const after = readFileSync(path, 'utf8');
    expect(after).toContain('# my clusters');
    expect(readContextsFile(path)).toEqual({'current-context': 'prod', contexts: {prod: expect.anything()}});
  });

  it('leaves no current context when there was none before', () => {
    const path = contextsFile('');
    expect(installContext(path, state(1))).toBeUndefined();
    expect(uninstallContext(path)).toEqual({removed: true, restored: undefined});
    expect(readContextsFile(path)['current-context']).toBeUndefined();
    expect(uninstallContext(path)).toEqual({removed: false, restored: undefined});
  });
});
