// `meshctl tap` and `meshctl top` end to end, as processes: loopback Envoy admin ports stream
// pre-rendered buffered traces to /tap as fast as the socket takes them, and the built CLI
// reads them. Measures events/s from the moment the tap is armed to exit (or to the moment
// top's NDJSON shows every request), and the CLI's peak RSS (VmHWM). Run after a build:
// `node bench/tapwire.bench.js`. Prints a markdown section.
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CLI = join(ROOT, 'bin', 'meshctl.js');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 40_000);
const CHUNK_BYTES = 64 * 1024;

const header = (key, value) => ({key, value});

/** One buffered trace in the shape of the real capture, with Istio's exchange header. */
function trace(i, side, nodeId, start) {
  const path = i % 3 === 0 ? `/books/${i % 500}` : i % 3 === 1 ? `/authors/${i % 200}` : '/books';
  const request = [
    header(':authority', i % 3 === 1 ? 'authors.shop.svc.cluster.local:7001' : 'books.shop.svc.cluster.local:7002'),
    header(':path', path),
    header(':method', 'GET'),
    header(':scheme', 'http'),
    header('user-agent', 'Go-http-client/1.1'),
    header('accept', '*/*'),
    header('authorization', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3ZWIifQ.c2lnbmF0dXJl'),
    header('x-forwarded-proto', 'http'),
    header('x-request-id', `71292137-0566-4962-ace1-${String(i).padStart(12, '0')}`),
    header('x-envoy-expected-rq-timeout-ms', '15000'),
  ];
  const response = [header(':status', i % 50 === 0 ? '503' : '200'), header('content-type', 'application/json'), header('content-length', '506'), header('server', 'istio-envoy')];
  if (side === 'outbound') request.push(header('x-envoy-peer-metadata-id', nodeId));
  else response.push(header('x-envoy-peer-metadata-id', nodeId));
  const at = (ms) => new Date(start + ms).toISOString();
  return JSON.stringify(
    {
      http_buffered_trace: {
        request: {headers: request, trailers: [], headers_received_time: at(i / 10)},
        response: {headers: response, body: {truncated: false, as_bytes: 'eyJvayI6dHJ1ZX0='}, trailers: [], headers_received_time: at(i / 10 + 2 + (i % 7))},
      },
    },
    null,
    1,
  );
}

function renderStream(count, side, nodeId) {
  const start = Date.now();
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(trace(i, side, nodeId, start));
  return Buffer.from(parts.join(''));
}

/** A fake Envoy admin port whose /tap writes `stream` once armed, then stays open. */
function envoy(pod, workload, stream) {
  const state = {armedAt: 0, url: ''};
  const server = createServer((req, res) => {
    if (req.url === '/stats/prometheus') return res.end('# TYPE envoy_server_uptime gauge\nenvoy_server_uptime 3600\n');
    if (req.url === '/server_info') {
      return res.end(JSON.stringify({version: 'bench/1.34.1/Clean/RELEASE/BoringSSL', node: {id: `sidecar~127.0.0.1~${pod}.shop~shop.svc.cluster.local`, metadata: {NAME: pod, NAMESPACE: 'shop', WORKLOAD_NAME: workload}}}));
    }
    if (req.url !== '/tap') return res.writeHead(404).end();
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {'content-type': 'application/json'});
      state.armedAt = performance.now();
      let offset = 0;
      const pump = () => {
        while (offset < stream.length) {
          const piece = stream.subarray(offset, offset + CHUNK_BYTES);
          offset += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
      };
      pump();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      state.url = `http://127.0.0.1:${server.address().port}`;
      resolve({
        state,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      });
    }),
  );
}

/** How long one case may take before the CLI is killed and the bench fails. */
const CASE_TIMEOUT_MS = 120_000;

/** Run the CLI; `done(lastLine)` says when the work is over (then it is interrupted). */
function runCli(args, done) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {env: {PATH: process.env.PATH, HOME: tmpdir(), MESHCTL_CONFIG: join(tmpdir(), 'meshctl-bench-none.yaml')}, stdio: ['ignore', 'pipe', 'pipe']});
    let peakKiB = 0;
    const sample = () => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
      } catch {
        // exited
      }
    };
    const sampler = setInterval(sample, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS);
    let partial = '';
    let lastLine = '';
    let bytes = 0;
    let finishedAt = 0;
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop();
      if (lines.length > 0) lastLine = lines[lines.length - 1];
      if (!finishedAt && done?.(lastLine)) {
        finishedAt = performance.now();
        sample();
        child.kill('SIGINT');
      }
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({code, bytes, stderr, finishedAt: finishedAt || performance.now(), peakMiB: peakKiB / 1024});
    });
  });
}

async function tapCase(name, args, proxies) {
  const perProxy = Math.ceil(EVENTS / proxies);
  const servers = await Promise.all(Array.from({length: proxies}, (_, p) => envoy(`web-7d9f8c6b5-${'bcdfg'[p]}2kqp`, 'web', renderStream(perProxy, 'outbound', `sidecar~x~web-${p}.shop~shop`))));
  const urls = servers.map((s) => s.state.url).join(',');
  const result = await runCli(['tap', '--count', String(perProxy * proxies), ...args, '-p', urls]);
  const armedAt = Math.min(...servers.map((s) => s.state.armedAt));
  servers.forEach((s) => s.close());
  if (result.code !== 0) throw new Error(`${name}: exit ${result.code}: ${result.stderr}`);
  const seconds = (result.finishedAt - armedAt) / 1000;
  return {name, events: perProxy * proxies, seconds, rate: (perProxy * proxies) / seconds, mib: result.bytes / 1024 / 1024, peakMiB: result.peakMiB};
}

async function topCase() {
  // Both ends of every hop tapped: each request arrives twice and is joined by request id.
  const client = await envoy('web-7d9f8c6b5-x2kqp', 'web', renderStream(EVENTS / 2, 'outbound', 'sidecar~x~web-7d9f8c6b5-x2kqp.shop~shop'));
  const server = await envoy('books-5d9f8c6b57-q8wzt', 'books', renderStream(EVENTS / 2, 'inbound', 'sidecar~x~books-5d9f8c6b57-q8wzt.shop~shop'));
  const total = (line) => (line === '' ? 0 : JSON.parse(line).rows.reduce((n, r) => n + r.count, 0));
  const result = await runCli(['top', '--interval', '100ms', '-p', `${client.state.url},${server.state.url}`], (line) => total(line) >= EVENTS / 2);
  const armedAt = Math.min(client.state.armedAt, server.state.armedAt);
  client.close();
  server.close();
  if (result.code !== 130) throw new Error(`top: exit ${result.code}: ${result.stderr}`);
  const seconds = (result.finishedAt - armedAt) / 1000;
  return {name: `top, both ends tapped (${(EVENTS / 2).toLocaleString('en')} requests × 2 copies, joined)`, events: EVENTS, seconds, rate: EVENTS / seconds, mib: result.bytes / 1024 / 1024, peakMiB: result.peakMiB};
}

const cases = [
  await tapCase('tap, 1 proxy, text', [], 1),
  await tapCase('tap, 1 proxy, -o json', ['-o', 'json'], 1),
  await tapCase('tap, 4 proxies merged, -o json', ['-o', 'json'], 4),
  await topCase(),
];

const out = ['## tap and top end to end (CLI processes)', ''];
out.push(
  `${EVENTS.toLocaleString('en')} buffered traces per case (about ${(renderStream(1000, 'outbound', 'x').length / 1000 / 1024).toFixed(2)} KiB each, pretty-printed), ` +
    `streamed over loopback as fast as the socket takes them; time from the tap being armed to the last event out. Node ${process.version}.`,
);
out.push('');
out.push('| case | events | seconds | events/s | stdout MiB | peak RSS |');
out.push('|---|---:|---:|---:|---:|---:|');
for (const c of cases) {
  out.push(`| ${c.name} | ${c.events.toLocaleString('en')} | ${c.seconds.toFixed(2)} | ${Math.round(c.rate).toLocaleString('en')} | ${c.mib.toFixed(1)} | ${c.peakMiB.toFixed(0)} MiB |`);
}
console.log(out.join('\n'));
