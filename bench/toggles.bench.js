// `meshctl trace status|enable|disable` across 200 loopback proxies (half Envoy with an admin
// runtime layer, half linkerd2-proxy): wall time of the whole CLI run, median of several runs.
// enable is measured both when it writes (after a disable) and when it finds nothing to do.
//   node bench/toggles.bench.js   (after a build)
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {root, startFleetContext} from './fleet-context.js';

const PROXIES = 200;
const RUNS = 5;

const {config, stop} = await startFleetContext(PROXIES);

/** One CLI run; exit 3 is expected for enable/disable, whose Linkerd half is unsupported. */
function runOnce(args, expected) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(root, 'bin', 'meshctl.js'), ...args], {env: {...process.env, MESHCTL_CONFIG: config}, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== expected) throw new Error(`meshctl ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return {ms, stdout: result.stdout};
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = (stdout) => JSON.parse(stdout).reduce((n, r) => ({...n, [r.result]: (n[r.result] ?? 0) + 1}), {});
const rows = [];
const measure = (label, run) => {
  run();
  const times = Array.from({length: RUNS}, () => run().ms);
  rows.push(`| \`meshctl ${label}\` | ${PROXIES} | ${median(times).toFixed(0)} ms | ${Math.min(...times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms |`);
};
measure('trace status -o json', () => runOnce(['trace', 'status', '-o', 'json'], 0));
// Each measured enable follows a disable, so it writes to all 100 Envoy proxies.
measure('trace enable -o json (writes)', () => {
  runOnce(['trace', 'disable', '-o', 'json'], 3);
  return runOnce(['trace', 'enable', '-o', 'json'], 3);
});
measure('trace enable -o json (no-op)', () => runOnce(['trace', 'enable', '-o', 'json'], 3));
measure('trace disable --dry-run -o json', () => runOnce(['trace', 'disable', '--dry-run', '-o', 'json'], 3));
const written = results(runOnce(['trace', 'enable', '--sampling', '0.5', '-o', 'json'], 3).stdout);
const again = results(runOnce(['trace', 'enable', '--sampling', '0.5', '-o', 'json'], 3).stdout);
stop();

console.log(`### trace toggles across ${PROXIES} proxies (Node ${process.version}, ${RUNS} runs each)\n`);
console.log('| command | proxies | median | min | max |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`\nResults of one enable --sampling 0.5 then the same again: ${JSON.stringify(written)}, then ${JSON.stringify(again)}. Wall time covers process start to exit, including reading every proxy's metrics once to learn its family and identity.`);
