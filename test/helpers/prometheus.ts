import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Debian's `prometheus` package; tests that need it skip with a notice when it is absent. */
export const PROMETHEUS_BIN = process.env.MESHCTL_PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const HAVE_PROMETHEUS = spawnSync(PROMETHEUS_BIN, ['--version'], {stdio: 'ignore'}).status === 0;
if (!HAVE_PROMETHEUS) {
  process.stderr.write(`\n[meshctl tests] NOTICE: ${PROMETHEUS_BIN} not found (apt-get install prometheus); tests against a real Prometheus are SKIPPED\n\n`);
}

export interface PrometheusServer {
  url: string;
  /** Instant query; returns the API's `data.result`. */
  query(expr: string): Promise<{metric: Record<string, string>; value: [number, string]}[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start a real Prometheus on 127.0.0.1 scraping the given loopback targets every second, with
 * its data in a temp dir that is removed on stop().
 */
export type ScrapeTarget = string | {address: string; path: string};

export async function startPrometheus(targets: ScrapeTarget[]): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'meshctl-prom-'));
  const port = await freePort();
  const byPath = new Map<string, string[]>();
  for (const t of targets) {
    const {address, path} = typeof t === 'string' ? {address: t, path: '/metrics'} : t;
    byPath.set(path, [...(byPath.get(path) ?? []), address]);
  }
  const jobs = [...byPath].flatMap(([path, addresses], i) => [
    `  - job_name: job${i}`,
    `    metrics_path: '${path}'`,
    '    static_configs:',
    `      - targets: [${addresses.map((a) => `'${a}'`).join(', ')}]`,
  ]);
  const config = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', ...jobs].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {stdio: ['ignore', 'ignore', 'pipe']},
  );
  let log = '';
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    rmSync(dir, {recursive: true, force: true});
  };
  const query = async (expr: string) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as {status: string; data: {result: never[]}; error?: string};
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    return body.data.result;
  };
  const started = Date.now();
  while (true) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited early: ${log}`);
    }
    try {
      const ready = await fetch(`${url}/-/ready`);
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`prometheus did not become ready: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {url, query, stop};
}
