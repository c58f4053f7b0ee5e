// Transport benchmark: scrape throughput with keep-alive, gzip decoding, parallel scrapes of
// many proxies, and how fast (and in how little memory) oversized bodies are refused.
// The servers run in a child process so the client's memory figures are its own.
// Usage: npm run build && node bench/transport.js
import {fork} from 'node:child_process';
import {createServer} from 'node:http';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {createClient} from '../dist/transport/index.js';

const MiB = 1024 * 1024;

if (process.argv[2] === '--serve') serve();
else await main();

function metricsBody(bytes) {
  const line = 'request_total{direction="inbound",dst_deployment="books",status_code="200",tls="true"} 123456\n';
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

/** Child: the fake proxies. Reports its ports to the parent. */
async function serve() {
  const metrics = metricsBody(200 * 1024);
  const gzipped = gzipSync(metrics);
  const member = gzipSync(Buffer.alloc(MiB), {level: 9});
  const bomb = Buffer.concat(Array.from({length: 1024}, () => member));
  const slab = Buffer.alloc(64 * 1024, 'x');
  const handlers = {
    '/metrics': (_req, res) => res.end(metrics),
    '/metrics-gzip': (_req, res) => res.writeHead(200, {'content-encoding': 'gzip'}).end(gzipped),
    '/bomb': (_req, res) => res.writeHead(200, {'content-encoding': 'gzip'}).end(bomb),
    '/50mb': (_req, res) => {
      let sent = 0;
      const pump = () => {
        while (sent < 50_000_000 && !res.destroyed) {
          sent += slab.length;
          if (!res.write(slab)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    },
  };
  const ports = [];
  for (let i = 0; i < 20; i++) {
    const server = createServer((req, res) => (handlers[req.url] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports.push(server.address().port);
  }
  process.send({ports});
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {stdio: 'inherit'});
  try {
    const {ports} = await new Promise((resolve) => child.once('message', resolve));
    const base = `http://127.0.0.1:${ports[0]}`;
    const rows = [];

    rows.push(await sequential('200 KiB /metrics, plain, keep-alive', `${base}/metrics`, 500));
    rows.push(await sequential('200 KiB /metrics, gzip, keep-alive', `${base}/metrics-gzip`, 500));
    rows.push(await parallel(ports));
    rows.push(await refused('gzip bomb (1 GiB decoded) vs 10 MiB cap', `${base}/bomb`));
    rows.push(await refused('50 MB chunked body vs 10 MiB cap', `${base}/50mb`));
    rows.push(await accepted('50 MB chunked body, 64 MiB cap (read whole)', `${base}/50mb`));

    console.log(`## Transport\n\nNode ${process.version}; loopback servers in a child process.\n\n\`\`\``);
    for (const row of rows) console.log(`${row.name.padEnd(46)} ${row.result}`);
    console.log('```');
  } finally {
    child.kill();
  }
}

async function sequential(name, url, count) {
  const client = createClient({timeoutMs: 5000});
  await client.getText(url);
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const result = await client.getText(url);
    if (!result.ok) throw new Error(result.error.message);
    bytes += result.value.body.length;
  }
  const seconds = (performance.now() - start) / 1000;
  return {name, result: `${(count / seconds).toFixed(0)} req/s, ${(bytes / MiB / seconds).toFixed(0)} MiB/s decoded, ${((seconds / count) * 1000).toFixed(2)} ms/scrape`};
}

async function parallel(ports) {
  const client = createClient({timeoutMs: 5000, concurrency: 10});
  const urls = ports.map((port) => `http://127.0.0.1:${port}/metrics-gzip`);
  const rounds = 10;
  const start = performance.now();
  for (let round = 0; round < rounds; round++) {
    const results = await Promise.all(urls.map((url) => client.getText(url)));
    if (results.some((r) => !r.ok)) throw new Error('a scrape failed');
  }
  const ms = (performance.now() - start) / rounds;
  return {name: `${ports.length} proxies × gzip /metrics, concurrency 10`, result: `${ms.toFixed(1)} ms per round of ${ports.length}`};
}

/** Peak Buffer memory above the start while `work` runs. */
async function withPeak(work) {
  global.gc?.();
  const base = process.memoryUsage();
  let peakBuffers = base.arrayBuffers;
  let peakRss = base.rss;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
    peakRss = Math.max(peakRss, now.rss);
  }, 2);
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  clearInterval(sampler);
  const now = process.memoryUsage();
  peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
  peakRss = Math.max(peakRss, now.rss);
  return {value, ms, buffers: (peakBuffers - base.arrayBuffers) / MiB, rss: (peakRss - base.rss) / MiB};
}

async function refused(name, url) {
  const client = createClient({timeoutMs: 10_000, maxBytes: 10 * MiB});
  const {value, ms, buffers, rss} = await withPeak(() => client.getText(url));
  const outcome = value.ok ? 'ACCEPTED (unexpected)' : `${value.error.kind}`;
  return {name, result: `${outcome} in ${ms.toFixed(0)} ms, peak +${buffers.toFixed(1)} MiB buffers, +${rss.toFixed(1)} MiB RSS`};
}

async function accepted(name, url) {
  const client = createClient({timeoutMs: 10_000});
  const {value, ms, buffers, rss} = await withPeak(() => client.getText(url));
  const outcome = value.ok ? `${(value.value.body.length / 1e6).toFixed(0)} MB read` : value.error.message;
  return {name, result: `${outcome} in ${ms.toFixed(0)} ms, peak +${buffers.toFixed(1)} MiB buffers, +${rss.toFixed(1)} MiB RSS`};
}
