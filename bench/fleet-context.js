// Start bench/fleet.js in its own process and write a contexts file naming every proxy of it
// (even ones linkerd, odd ones envoy), for benchmarks that run the built CLI against a fleet.
import {spawn} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Resolves once every fake proxy listens: their URLs, the contexts file, and stop(). */
export async function startFleetContext(count) {
  const fleet = spawn(process.execPath, [join(root, 'bench', 'fleet.js'), String(count)], {stdio: ['pipe', 'pipe', 'inherit']});
  const {urls} = await new Promise((resolve) => {
    let buffered = '';
    fleet.stdout.on('data', (d) => {
      buffered += d;
      if (buffered.includes('\n')) resolve(JSON.parse(buffered));
    });
  });
  const config = join(mkdtempSync(join(tmpdir(), 'meshctl-bench-')), 'config.yaml');
  writeFileSync(config, `current-context: bench\ncontexts:\n  bench:\n    proxies:\n${urls.map((u, i) => `      - url: ${u}\n        dialect: ${i % 2 === 0 ? 'linkerd' : 'envoy'}\n`).join('')}`);
  return {urls, config, stop: () => fleet.stdin.end()};
}
