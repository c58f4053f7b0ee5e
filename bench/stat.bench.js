// `meshctl stat --window 0` across 200 loopback proxies: wall time of the whole CLI run
// (process start to exit), median of several runs. Target: under 1 s.
import {spawnSync} from 'node:child_process';
import {loadavg} from 'node:os';
import {join} from 'node:path';
import {root, startFleetContext} from './fleet-context.js';

const PROXIES = 200;
const RUNS = 7;

// Wall time is sensitive to whatever else runs on the machine: say how busy it was.
const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
const {config, stop} = await startFleetContext(PROXIES);

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
stop();

console.log(`### stat across ${PROXIES} proxies (Node ${process.version}, ${RUNS} runs each; load average at start ${loadAtStart})\n`);
console.log('| command | proxies | median | min | max |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`\nEvery run read all ${sample.length} proxies (half linkerd2-proxy, half Istio/Envoy captures), including each one's identity endpoint; wall time covers process start to exit.`);
