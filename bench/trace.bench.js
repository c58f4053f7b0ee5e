// Throughput of `meshctl trace collect`: spans per second decoded, and accepted end to end over
// loopback OTLP/HTTP and OTLP/gRPC by the built CLI with its output going to /dev/null. Run after a build:
//   node bench/trace.bench.js            (BENCH_SECONDS=3 by default per measurement)
// Prints a markdown section.
import {spawn} from 'node:child_process';
import {openSync, readFileSync} from 'node:fs';
import {Agent, request} from 'node:http';
import {connect} from 'node:http2';
import {cpus, loadavg} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {JsonTraceSerializer, ProtobufTraceSerializer} from '@opentelemetry/otlp-transformer';
import {decodeJsonTraceRequest} from '../dist/tracing/otlp/decode-json.js';
import {decodeProtobufTraceRequest} from '../dist/tracing/otlp/decode-protobuf.js';
import {frameMessage} from '../dist/tracing/grpc/framing.js';
import {EXPORT_PATH} from '../dist/tracing/grpc/server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SPANS_PER_BATCH = 100;
const SPANS_PER_TRACE = 10;
const CONCURRENCY = 4;
const TARGET = 10_000;

const hex = (n, width) => n.toString(16).padStart(width, '0');
let traceCounter = 1;

/** 100 spans shaped like sidecar spans (10 traces of 10), as ReadableSpan-like objects. */
function batchSpans() {
  const resource = {attributes: {'service.name': 'books', 'k8s.pod.name': 'books-7d9f8c-x2x9z', 'host.name': 'node-1'}};
  const scope = {name: 'linkerd-proxy', version: '2.19.0'};
  const spans = [];
  for (let t = 0; t < SPANS_PER_BATCH / SPANS_PER_TRACE; t++) {
    const traceId = hex(traceCounter++, 32);
    for (let s = 1; s <= SPANS_PER_TRACE; s++) {
      const spanId = hex(s, 16);
      const start = [1_700_000_000, s * 1_000_000];
      spans.push({
        name: '/api/books',
        kind: s % 2 === 0 ? 2 : 1,
        spanContext: () => ({traceId, spanId, traceFlags: 1}),
        parentSpanContext: s > 1 ? {traceId, spanId: hex(s - 1, 16), traceFlags: 1} : undefined,
        startTime: start,
        endTime: [start[0], start[1] + 5_000_000],
        status: {code: 0},
        attributes: {
          'http.request.method': 'GET',
          'url.path': '/api/books',
          'url.scheme': 'http',
          'server.address': 'books.default.svc.cluster.local',
          'server.port': '7002',
          'network.transport': 'tcp',
          'user_agent.original': 'Go-http-client/1.1',
          'http.response.status_code': '200',
          direction: s % 4 < 2 ? 'outbound' : 'inbound',
        },
        links: [],
        events: [],
        duration: [0, 5_000_000],
        ended: true,
        resource,
        instrumentationScope: scope,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      });
    }
  }
  return spans;
}

/** Spans decoded per CPU-second of this process (CPU time, so other load on the machine matters less). */
function decodeRate(decode, payload) {
  const cpu = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  };
  let spans = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = cpu();
  while (performance.now() < deadline) {
    for (let i = 0; i < 20; i++) spans += decode(payload).spans.length;
  }
  return spans / (cpu() - started);
}

function startCollector(args) {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'meshctl.js'), 'trace', 'collect', '--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0', ...args], {
      stdio: ['ignore', devNull, 'pipe'],
      env: {...process.env, NO_COLOR: '1'},
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (data) => {
      stderr += data;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(stderr)?.[1];
      const grpc = /listening on (127\.0\.0\.1:\d+) \(OTLP\/gRPC/.exec(stderr)?.[1];
      if (url && grpc && stderr.includes('Ctrl-C to stop')) resolve({child, url, grpc, stderr: () => stderr});
    });
    child.on('exit', () => reject(new Error(`collector exited early: ${stderr}`)));
  });
}

function postBatch(url, agent, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, {method: 'POST', agent, headers: {'content-type': 'application/x-protobuf'}}, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One unary OTLP/gRPC Export call on a shared HTTP/2 session; resolves with its grpc-status. */
function grpcExport(session, framed) {
  return new Promise((resolve, reject) => {
    const req = session.request({':method': 'POST', ':path': EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers'});
    let status = null;
    req.on('response', (headers) => (status = headers['grpc-status'] ?? status));
    req.on('trailers', (trailers) => (status = trailers['grpc-status']));
    req.on('error', reject);
    req.on('close', () => resolve(Number(status)));
    req.resume();
    req.end(framed);
  });
}

/** CPU seconds a process has used so far (Linux /proc; clock ticks assumed 100/s), or null. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function peakRssMiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** `transport`: 'http' (CONCURRENCY keep-alive connections) or 'grpc' (CONCURRENCY streams on one HTTP/2 session). */
async function endToEnd(args, transport = 'http') {
  // Distinct traces per batch, prepared ahead so the client spends its time sending.
  const bodies = Array.from({length: 400}, () => ProtobufTraceSerializer.serializeRequest(batchSpans()));
  const framed = transport === 'grpc' ? bodies.map((body) => frameMessage(body)) : [];
  const collector = await startCollector(args);
  const cpuBefore = cpuSeconds(collector.child.pid);
  const agent = new Agent({keepAlive: true, maxSockets: CONCURRENCY});
  const session = transport === 'grpc' ? connect(`http://${collector.grpc}`) : null;
  let accepted = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = next++ % bodies.length;
      const status = session ? await grpcExport(session, framed[i]) : await postBatch(collector.url, agent, bodies[i]);
      if (status !== (session ? 0 : 200)) throw new Error(`collector answered ${status}`);
      accepted += SPANS_PER_BATCH;
    }
  };
  await Promise.all(Array.from({length: CONCURRENCY}, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(collector.child.pid);
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  const rss = peakRssMiB(collector.child.pid);
  agent.destroy();
  session?.close();
  collector.child.removeAllListeners('exit');
  const exited = new Promise((resolve) => collector.child.on('exit', resolve));
  collector.child.kill('SIGINT');
  await exited;
  const reported = Number(/received (\d+) spans/.exec(collector.stderr())?.[1]);
  // Re-sent batches repeat span ids, which the collector counts once: compare with the distinct ones.
  if (!(reported > 0)) throw new Error(`collector did not report its spans: ${collector.stderr()}`);
  return {rate: accepted / elapsed, perCpuSecond: cpu ? accepted / cpu : null, rss};
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const sample = batchSpans();
const protobufPayload = ProtobufTraceSerializer.serializeRequest(sample);
const jsonPayload = JsonTraceSerializer.serializeRequest(sample);

const decodeProtobuf = decodeRate(decodeProtobufTraceRequest, protobufPayload);
const decodeJson = decodeRate(decodeJsonTraceRequest, jsonPayload);
const table = await endToEnd(['--idle', '200ms']);
const json = await endToEnd(['--idle', '200ms', '-o', 'json']);
const grpc = await endToEnd(['--idle', '200ms'], 'grpc');

const rows = [
  [`decode only, protobuf (${SPANS_PER_BATCH}-span batches, ${protobufPayload.length} bytes), per CPU-second`, `${fmt(decodeProtobuf)} spans/s`, ''],
  [`decode only, OTLP/JSON (${SPANS_PER_BATCH}-span batches, ${jsonPayload.length} bytes), per CPU-second`, `${fmt(decodeJson)} spans/s`, ''],
  [`end to end, table output to /dev/null (${CONCURRENCY} keep-alive clients)`, `${fmt(table.rate)} spans/s`, `${fmt(TARGET)} spans/s`],
  [`end to end, -o json to /dev/null (${CONCURRENCY} keep-alive clients)`, `${fmt(json.rate)} spans/s`, `${fmt(TARGET)} spans/s`],
  [`end to end over OTLP/gRPC, table output to /dev/null (${CONCURRENCY} concurrent calls on one HTTP/2 connection)`, `${fmt(grpc.rate)} spans/s`, `${fmt(TARGET)} spans/s`],
  ['end to end, table: spans per CPU-second of the collector', table.perCpuSecond === null ? 'n/a' : `${fmt(table.perCpuSecond)} spans/s`, ''],
  ['end to end, -o json: spans per CPU-second of the collector', json.perCpuSecond === null ? 'n/a' : `${fmt(json.perCpuSecond)} spans/s`, ''],
  ['end to end over OTLP/gRPC, table: spans per CPU-second of the collector', grpc.perCpuSecond === null ? 'n/a' : `${fmt(grpc.perCpuSecond)} spans/s`, ''],
  ['collector peak RSS, table run', table.rss === null ? 'n/a' : `${table.rss.toFixed(0)} MiB`, ''],
  ['collector peak RSS, json run', json.rss === null ? 'n/a' : `${json.rss.toFixed(0)} MiB`, ''],
  ['collector peak RSS, gRPC run', grpc.rss === null ? 'n/a' : `${grpc.rss.toFixed(0)} MiB`, ''],
];

console.log('## trace collect\n');
console.log(`${SECONDS} s per measurement; Node ${process.version}; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end; spans of 9 attributes in traces of ${SPANS_PER_TRACE}, completed after 200 ms idle. The client runs in this process, the collector in its own.\n`);
console.log('| measurement | result | target |');
console.log('|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
const slow = [table.rate, json.rate, grpc.rate].some((rate) => rate < TARGET);
console.log(`\n${slow ? 'BELOW TARGET' : 'target met'} (${fmt(TARGET)} spans/s end to end).`);
