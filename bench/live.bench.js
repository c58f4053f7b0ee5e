// Live traffic views: how many tap events per second one core can ingest (splitter, JSON
// parse, trace mapping, client-side filter, top aggregation), and how much memory the top
// aggregator holds with 100,000 distinct paths. Run after a build: `node bench/live.bench.js`.
// Prints a markdown section.
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {TapDecoder} from '../dist/dialects/envoy/tap-decoder.js';
import {JsonObjectSplitter} from '../dist/dialects/envoy/tap-stream.js';
import {tapLines} from '../dist/render/tap-line.js';
import {matchesTapFilter, parseTapFilter} from '../dist/views/tap-filter.js';
import {redactEvent} from '../dist/views/tap-redact.js';
import {mulberry32} from '../dist/views/tap-sampler.js';
import {DEFAULT_MAX_ROWS, TopAggregator} from '../dist/views/top.js';
import {viewRows} from '../dist/views/top-sort.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const TRACES = 100_000;
const CHUNK_BYTES = 16 * 1024;
const ROUNDS = 3;

/** A buffered trace shaped like the real capture: pretty-printed, 1-space indent, ~20 headers. */
function makeTrace(random, i) {
  const kind = random();
  const grpc = kind < 0.3;
  const path = grpc
    ? `/emojivoto.v1.VotingService/Vote${['Doughnut', 'Pizza', 'Taco', 'Dog'][i % 4]}`
    : kind < 0.7
      ? `/books/${Math.floor(random() * 5000)}`
      : `/authors/${Math.floor(random() * 2000)}.json?page=${i % 7}`;
  const status = random() < 0.02 ? '503' : '200';
  const header = (key, value) => ({key, value});
  const request = [
    header(':authority', grpc ? 'voting-svc.emojivoto:8080' : 'books.booksapp:7002'),
    header(':path', path),
    header(':method', grpc ? 'POST' : 'GET'),
    header(':scheme', 'http'),
    header('user-agent', grpc ? 'grpc-go/1.58.3' : 'Go-http-client/1.1'),
    header('accept', '*/*'),
    header('authorization', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3ZWIifQ.c2lnbmF0dXJl'),
    header('content-type', grpc ? 'application/grpc' : 'application/json'),
    header('x-forwarded-proto', 'http'),
    header('x-request-id', `71292137-0566-4962-ace1-${String(i).padStart(12, '0')}`),
    header('x-envoy-expected-rq-timeout-ms', '15000'),
    header('x-b3-traceid', (i * 2654435761).toString(16).padStart(16, '0')),
  ];
  const response = [
    header(':status', status),
    header('date', 'Fri, 04 Jun 2021 19:51:22 GMT'),
    header('content-type', grpc ? 'application/grpc' : 'application/json'),
    header('content-length', String(100 + (i % 900))),
    header('server', 'envoy'),
    header('x-envoy-upstream-service-time', String(1 + Math.floor(random() * 40))),
  ];
  const trace = {
    http_buffered_trace: {
      request: {headers: request, body: {truncated: false, as_bytes: 'eyJmb28iOiJiYXIifQ=='}, trailers: []},
      response: {
        headers: response,
        body: {truncated: true, as_bytes: Buffer.alloc(96, i % 251).toString('base64')},
        trailers: grpc ? [header('grpc-status', random() < 0.01 ? '14' : '0')] : [],
      },
    },
  };
  return JSON.stringify(trace, null, 1);
}

function generateStream(count) {
  const random = mulberry32(42);
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(makeTrace(random, i));
  return Buffer.from(parts.join('\n'));
}

function chunks(buffer) {
  const out = [];
  for (let i = 0; i < buffer.length; i += CHUNK_BYTES) out.push(buffer.subarray(i, i + CHUNK_BYTES));
  return out;
}

function best(runs) {
  return Math.min(...runs);
}

function time(fn) {
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) {
    gc();
    const start = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best(runs);
}

function measureThroughput() {
  const stream = generateStream(TRACES);
  const pieces = chunks(stream);
  const filter = parseTapFilter({path: '/'});
  const results = [];

  const splitMs = time(() => {
    const splitter = new JsonObjectSplitter();
    let n = 0;
    for (const piece of pieces) n += splitter.push(piece).length;
    if (n !== TRACES) throw new Error(`splitter found ${n} objects`);
  });
  results.push(['splitter only', splitMs]);

  const decodeMs = time(() => {
    const decoder = new TapDecoder({proxy: 'bench', proxyIndex: 0, direction: 'inbound'});
    let n = 0;
    for (const piece of pieces) n += decoder.push(piece).events.length;
    if (n !== TRACES) throw new Error(`decoder produced ${n} events`);
  });
  results.push(['splitter + JSON.parse + trace mapping', decodeMs]);

  let rows = 0;
  const fullMs = time(() => {
    const decoder = new TapDecoder({proxy: 'bench', proxyIndex: 0, direction: 'inbound'});
    const top = new TopAggregator();
    for (const piece of pieces) {
      for (const event of decoder.push(piece).events) if (matchesTapFilter(event, filter)) top.addEvent(event);
    }
    top.snapshot(Date.now(), false);
    rows = top.rowCount;
  });
  results.push(['+ filter + top aggregation (tap + top pipeline)', fullMs]);

  const decoder = new TapDecoder({proxy: 'bench', proxyIndex: 0, direction: 'inbound'});
  const events = pieces.flatMap((piece) => decoder.push(piece).events);
  const linesMs = time(() => {
    let bytes = 0;
    for (const event of events) for (const line of tapLines(redactEvent(event, false))) bytes += line.length;
    if (bytes === 0) throw new Error('no output');
  });
  results.push(['tap text output only (redact + 3 lines)', linesMs]);

  return {stream, results, rows};
}

function measureMemory(maxRows) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const top = new TopAggregator({maxRows});
  // A real decoded event as the template; only the path (and time) varies.
  const [base] = new TapDecoder({proxy: 'bench', proxyIndex: 0, direction: 'inbound'}).push(Buffer.from(makeTrace(mulberry32(1), 0))).events;
  const now = Date.now();
  for (let i = 0; i < 100_000; i++) {
    top.addEvent({...base, path: `/api/v1/items/${i}/details-${(i * 7919).toString(36)}`, observedAtMs: now + i / 100});
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  return {maxRows, rows: top.rowCount, evictions: top.evictions, mib: (after - before) / 1024 / 1024, top};
}

/** What one screen refresh costs: snapshot every row, then sort and filter them. */
function measureRefresh(top) {
  const ms = time(() => {
    for (let i = 0; i < 10; i++) viewRows(top.snapshot(Date.now(), i % 2 === 1).rows, {sortBy: 'rps', descending: true, filter: i % 3 ? '' : 'items/1'});
  });
  return ms / 10;
}

const {stream, results, rows} = measureThroughput();
const memory = [measureMemory(DEFAULT_MAX_ROWS), measureMemory(100_000)];
const refreshMs = measureRefresh(memory[0].top);

const out = [];
out.push('## Live traffic (tap + top)');
out.push('');
out.push(
  `${TRACES.toLocaleString('en')} realistic buffered traces (${(stream.length / 1024 / 1024).toFixed(1)} MiB of pretty-printed tap JSON, ` +
    `${CHUNK_BYTES / 1024} KiB chunks), one core, best of ${ROUNDS}; Node ${process.version}.`,
);
out.push('');
out.push('| stage | events/s | MiB/s |');
out.push('|---|---:|---:|');
for (const [name, ms] of results) {
  const perSecond = (TRACES / ms) * 1000;
  const mibPerSecond = stream.length / 1024 / 1024 / (ms / 1000);
  out.push(`| ${name} | ${Math.round(perSecond).toLocaleString('en')} | ${mibPerSecond.toFixed(1)} |`);
}
const pipeline = results.find(([name]) => name.startsWith('+ filter'))[1];
out.push('');
out.push(
  `Target 20,000 events/s: ${(TRACES / pipeline) * 1000 >= 20_000 ? 'met' : 'NOT met'} ` +
    `(${((TRACES / pipeline) * 1000 / 20_000).toFixed(1)}× the target; top held ${rows} rows).`,
);
out.push('');
out.push('Top aggregator heap with 100,000 distinct paths (heap used after GC, aggregator kept alive):');
out.push('');
out.push('| row cap | rows kept | evictions | heap |');
out.push('|---:|---:|---:|---:|');
for (const m of memory) {
  out.push(
    `| ${m.maxRows.toLocaleString('en')}${m.maxRows === DEFAULT_MAX_ROWS ? ' (default)' : ''} | ${m.rows.toLocaleString('en')} | ${m.evictions.toLocaleString('en')} | ${m.mib.toFixed(1)} MiB |`,
  );
}
out.push('');
out.push(
  `One screen refresh at the default cap (snapshot ${DEFAULT_MAX_ROWS.toLocaleString('en')} rows, group or not, filter, sort): ` +
    `${refreshMs.toFixed(1)} ms; the screen refreshes every 250 ms.`,
);
process.stdout.write(`${out.join('\n')}\n`);
