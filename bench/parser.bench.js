// Parse throughput of the Prometheus text parser on real proxy captures, next to the
// parse-prometheus-text-format package, and with a dialect-like `keep` filter.
// Run through bench/run.js (`npm run bench`), which builds dist/ first and exposes gc().
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import {dirname, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {parsePrometheusText} from '../dist/metrics/parse.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = process.env.MESHCTL_FIXTURES ?? resolve(REPO_ROOT, '..', 'shared', 'fixtures');
const CAPTURES = [
  'linkerd/metrics/linkerd2-testutil-sampleMetrics.txt',
  'linkerd/metrics/datadog-linkerd_v2.txt',
  'envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt',
];
const TARGET_BYTES = 4 * 1024 * 1024;
const WARMUP_RUNS = 3;
const TIMED_RUNS = 9;
const TARGET_SPEEDUP = 5;

const DIALECT_PREFIXES = ['response_', 'request_total', 'tcp_', 'istio_requests', 'istio_request_duration', 'process_start'];
const dialectKeep = (name) => DIALECT_PREFIXES.some((prefix) => name.startsWith(prefix));

const isEofLine = (line) => line.trim() === '# EOF';

/**
 * The capture repeated to about `targetBytes`, still one valid document: `# EOF` only at the
 * very end. Re-decoded from bytes so the string is flat, as an HTTP body would be.
 */
function repeatedDocument(capture, targetBytes) {
  const lines = capture.split('\n');
  const hadEof = lines.some(isEofLine);
  const body = lines.filter((line) => !isEofLine(line)).join('\n').replace(/\n*$/, '\n');
  const copies = Math.max(1, Math.round(targetBytes / Buffer.byteLength(body)));
  const text = body.repeat(copies) + (hadEof ? '# EOF\n' : '');
  return {text: Buffer.from(text, 'utf8').toString('utf8'), copies};
}

function sampleLines(capture) {
  return capture.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
}

/** CPU seconds (user + system of all threads, so GC helpers count), not wall time. */
function cpuSeconds(run) {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Each run starts from a clean heap (an untimed full GC first), so it pays only for its own garbage. */
function cleanHeapSeconds(run) {
  for (let i = 0; i < WARMUP_RUNS; i++) run();
  const times = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    globalThis.gc?.();
    times.push(cpuSeconds(run));
  }
  return median(times);
}

/** Runs back to back with no GC forced: each also pays for collecting earlier results. */
function backToBackSeconds(run) {
  for (let i = 0; i < WARMUP_RUNS; i++) run();
  globalThis.gc?.();
  return median(Array.from({length: TIMED_RUNS}, () => cpuSeconds(run)));
}

/** Heap the result of one parse keeps alive, per MB of input (the input itself not counted). */
function retainedHeapRatio(text) {
  const results = [];
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 5; i++) results.push(parsePrometheusText(text));
  globalThis.gc?.();
  const perResult = (process.memoryUsage().heapUsed - before) / results.length;
  return perResult / Buffer.byteLength(text);
}

function measure(path) {
  const capture = readFileSync(resolve(FIXTURES, path), 'utf8');
  const {text, copies} = repeatedDocument(capture, TARGET_BYTES);
  const parsed = parsePrometheusText(text);
  const samples = parsed.families.reduce((sum, family) => sum + family.samples.length, 0);
  const expected = sampleLines(capture) * copies;
  if (samples !== expected) throw new Error(`${path}: parsed ${samples} samples, expected ${expected}`);

  const bytes = Buffer.byteLength(text);
  const ours = cleanHeapSeconds(() => parsePrometheusText(text));
  const theirs = cleanHeapSeconds(() => parsePrometheusTextFormat(text));
  const filtered = cleanHeapSeconds(() => parsePrometheusText(text, {keep: dialectKeep}));
  const oursBackToBack = backToBackSeconds(() => parsePrometheusText(text));
  const theirsBackToBack = backToBackSeconds(() => parsePrometheusTextFormat(text));
  const mbps = (seconds) => (bytes / 1e6 / seconds).toFixed(1);
  const cells = [path.split('/').pop(), (bytes / 1e6).toFixed(1), mbps(ours), mbps(theirs), `${(theirs / ours).toFixed(1)}x`, mbps(filtered)];
  cells.push(mbps(oursBackToBack), mbps(theirsBackToBack), `${(theirsBackToBack / oursBackToBack).toFixed(1)}x`);
  cells.push(`${retainedHeapRatio(capture).toFixed(2)}`);
  return `| ${cells.join(' | ')} |`;
}

const out = [
  '## Prometheus text parser',
  '',
  `node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores).`,
  `Each capture is repeated to about ${TARGET_BYTES / 1024 / 1024} MB. Figures are MB/s of CPU time (user + system, GC threads included), median of ${TIMED_RUNS} runs after ${WARMUP_RUNS} warm-ups.`,
  'Each run starts from a clean heap (an untimed full GC first); the back-to-back columns force no GC, so each run also pays for collecting the previous results.',
  'The last column is the heap one parse result of the capture (not repeated) keeps alive, per byte of input.',
  `\`keep\` keeps names starting with ${DIALECT_PREFIXES.map((p) => `\`${p}\``).join(', ')}.`,
  '',
];
if (!existsSync(FIXTURES)) {
  out.push(`NOTICE: shared fixtures not found at ${FIXTURES}; no rows measured.`);
} else {
  out.push('| capture | MB | meshctl | parse-prometheus-text-format | speed-up | meshctl + keep | meshctl back-to-back | p-p-t-f back-to-back | speed-up back-to-back | result heap per input byte |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const path of CAPTURES) {
    out.push(existsSync(resolve(FIXTURES, path)) ? measure(path) : `| ${path} | missing | | | | | | | | |`);
  }
  out.push('');
  out.push(`Target: at least ${TARGET_SPEEDUP}x the throughput of parse-prometheus-text-format (which leaves values as strings).`);
}
out.push('');
process.stdout.write(`${out.join('\n')}\n`);
