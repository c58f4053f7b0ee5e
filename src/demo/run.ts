import {join} from 'node:path';
import {ControlServer} from './control.js';
import type {Flavor} from './flavors/flavor.js';
import {istioFlavor} from './flavors/istio/sidecar.js';
import {linkerdFlavor} from './flavors/linkerd/sidecar.js';
import {startMesh} from './mesh/assemble.js';
import type {DemoOptions} from './options.js';
import {removeState, writeState, type DemoState} from './state.js';

export const FLAVOR_IMPLEMENTATIONS: Record<DemoOptions['flavor'], Flavor> = {linkerd: linkerdFlavor, istio: istioFlavor};

export interface RunningDemo {
  state: DemoState;
  stop(): Promise<void>;
}

/**
 * Start the mesh and the control port in this process, and record them in `<dir>/state.json`.
 * Used by the background daemon and by the foreground `meshctl demo` alike.
 */
export async function runDemo(options: DemoOptions, dir: string, how: {foreground: boolean; logFile: string | null}): Promise<RunningDemo> {
  const mesh = await startMesh(options, FLAVOR_IMPLEMENTATIONS[options.flavor], join(dir, 'certs'));
  const control = new ControlServer(mesh);
  try {
    await control.start();
  } catch (error) {
    await mesh.stop();
    throw error;
  }
  const state: DemoState = {
    version: 1,
    pid: process.pid,
    options,
    startedAt: new Date().toISOString(),
    controlUrl: control.url,
    mtls: mesh.mtls,
    pods: mesh.pods.map((p) => ({
      name: p.info.name,
      workload: p.info.workload,
      namespace: p.info.namespace,
      ...p.sidecar.endpoints(),
    })),
    foreground: how.foreground,
    logFile: how.logFile,
  };
  writeState(dir, state);
  let stopping: Promise<void> | null = null;
  return {
    state,
    stop: () =>
      (stopping ??= (async () => {
        removeState(dir, process.pid);
        await Promise.all([control.close(), mesh.stop()]);
      })()),
  };
}
