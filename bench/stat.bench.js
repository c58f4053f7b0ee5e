// `meshctl stat --window 0` across 200 loopback proxies: wall time of the whole CLI run
// (process start to exit), median of several runs. Target: under 1 s.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROXIES = 200;
const RUNS = 7;

const fleet = spawn(process.execPath, [join(root, 'bench', 'fleet.js'), String(PROXIES)], {stdio: ['pipe', 'pipe', 'inherit']});
const {urls} = await new Promise((resolve) => {
  let buffered = '';
  fleet.stdout.on('data', (d) => {
    buffered += d;
    if (buffered.includes('\n')) resolve(JSON.parse(buffered));
  });
});

const dir = mkdtempSync(join(tmpdir(), 'meshctl-bench-'));
const config = join(dir, 'config.yaml');
writeFileSync(config, `current-context: bench\ncontexts:\n  bench:\n    proxies:\n${urls.map((u, i) => `      - url: ${u}\n        dialect: ${i % 2 === 0 ? 'linkerd' : 'envoy'}\n`).join('')}`);

function runOnce(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(root, 'bin', 'meshctl.js'), ...args], {env: {...process.env, MESHCTL_CONFIG: config}, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`meshctl ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return {ms, stdout: result.stdout};
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [label, args] of [
  ['stat --window 0 -o json', ['stat', '--window', '0', '-o', 'json']],
  ['stat --window 0 (table)', ['stat', '--window', '0']],
  ['stat po --window 0 -o json', ['stat', 'po', '--window', '0', '-o', 'json']],
  ['--help (start-up cost)', ['--help']],
]) {
  runOnce(args); // warm the file cache
  const times = Array.from({length: RUNS}, () => runOnce(args).ms);
  rows.push(`| \`meshctl ${label}\` | ${PROXIES} | ${median(times).toFixed(0)} ms | ${Math.min(...times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms |`);
}
const sample = JSON.parse(runOnce(['stat', 'po', '--window', '0', '-o', 'json']).stdout);
fleet.stdin.end();

console.log(`### stat across ${PROXIES} proxies (Node ${process.version}, ${RUNS} runs each)\n`);
console.log('| command | proxies | median | min | max |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`\nEvery run read all ${sample.length} proxies (half linkerd2-proxy, half Istio/Envoy captures), including each one's identity endpoint; wall time covers process start to exit.`);
