// Measures `meshctl demo up` wall time and the demo's CPU use at its default load.
// Run after a build: `node bench/demo.bench.js [seconds]` (default 30 s per flavour).
// Prints a markdown section; nothing is asserted.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'meshctl.js');
const seconds = Number(process.argv[2] ?? 30);
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());

function meshctl(config, args) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, ...args], {env: {...process.env, MESHCTL_CONFIG: config}, encoding: 'utf8'});
  if (run.status !== 0) throw new Error(`meshctl ${args.join(' ')} failed: ${run.stderr}`);
  return performance.now() - started;
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
  return Number(fields[11]) + Number(fields[12]);
}

function rssBytes(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) * 1024;
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rows = [];
for (const flavor of ['linkerd', 'istio']) {
  const home = mkdtempSync(join(tmpdir(), 'meshctl-demo-bench-'));
  const config = join(home, 'config.yaml');
  const upTimes = [];
  for (let i = 0; i < 3; i++) {
    upTimes.push(Math.round(meshctl(config, ['demo', 'up', '--flavor', flavor])));
    if (i < 2) meshctl(config, ['demo', 'down']);
  }
  const state = JSON.parse(readFileSync(join(home, 'demo', 'state.json'), 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const t0 = cpuTicks(state.pid);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpuSeconds = (cpuTicks(state.pid) - t0) / ticksPerSecond;
  const wall = (performance.now() - started) / 1000;
  rows.push(`| ${flavor} | ${upTimes.join(' / ')} ms | ${state.options.rps} | ${(cpuSeconds / wall).toFixed(3)} | ${Math.round(rssBytes(state.pid) / 1048576)} MiB |`);
  meshctl(config, ['demo', 'down']);
}
console.log(`## meshctl demo\n\nNode ${process.version}; load average at start ${load}. \`demo up\` wall time for three runs (the first cold), then the demo's own CPU (utime + stime from /proc) over ${seconds} s at its default load. Targets: up within 3 s, under half a core.\n`);
console.log('| flavour | demo up | rps | cores used | RSS |');
console.log('|---|---|---:|---:|---:|');
for (const row of rows) console.log(row);
