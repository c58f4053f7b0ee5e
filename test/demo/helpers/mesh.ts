import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startMesh, type RunningMesh} from '../../../src/demo/mesh/assemble.js';
import type {DemoOptions, Flavor, OtlpExport} from '../../../src/demo/options.js';
import {FLAVOR_IMPLEMENTATIONS} from '../../../src/demo/run.js';

/** One cert directory per test process: minting once keeps the tests fast. */
const certDir = mkdtempSync(join(tmpdir(), 'meshctl-demo-certs-'));

/** Nobody listens here unless a test says so; exporting must stay silent. */
export const NOWHERE: Record<Flavor, OtlpExport> = {
  linkerd: {transport: 'grpc', address: '127.0.0.1:9'},
  istio: {transport: 'http', url: 'http://127.0.0.1:9/v1/traces'},
};

export function demoOptions(overrides: Partial<DemoOptions> = {}): DemoOptions {
  const flavor = overrides.flavor ?? 'linkerd';
  return {
    flavor,
    rps: 30,
    errorRate: 0.1,
    seed: 7,
    otlp: NOWHERE[flavor],
    traceShare: 0,
    ...overrides,
  };
}

/** A whole demo mesh in this test process, on loopback sockets. */
export function startTestMesh(overrides: Partial<DemoOptions> = {}): Promise<RunningMesh> {
  const options = demoOptions(overrides);
  return startMesh(options, FLAVOR_IMPLEMENTATIONS[options.flavor], certDir);
}

export async function getText(url: string, init?: RequestInit): Promise<{status: number; text: string; headers: Headers}> {
  const res = await fetch(url, {...init, signal: AbortSignal.timeout(5000)});
  return {status: res.status, text: await res.text(), headers: res.headers};
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function podsOf(mesh: RunningMesh, workload: string): RunningMesh['pods'] {
  return mesh.pods.filter((p) => p.info.workload === workload);
}
