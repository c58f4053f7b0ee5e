// A fleet of fake proxies for benchmarks, run in its own process so it does not share the
// CLI's event loop: `node bench/fleet.js <count>` prints {"urls":[...]} once every server
// listens, and serves until stdin closes. Half speak linkerd2-proxy's admin API, half
// Envoy's, each serving a real capture when ../shared/fixtures is present. The Envoy ones keep
// an admin runtime layer (`/runtime`, `POST /runtime_modify`) for the tracing toggles.
import {existsSync, readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const fixtures = process.env.MESHCTL_FIXTURES ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'fixtures');
const read = (rel, fallback) => (existsSync(join(fixtures, rel)) ? readFileSync(join(fixtures, rel), 'utf8') : fallback);
const synthetic = Array.from({length: 200}, (_, i) => `response_total{direction="inbound",target_port="8080",status_code="${200 + (i % 5)}",classification="success"} ${i * 7}`).join('\n') + '\n';
const linkerdText = read('linkerd/metrics/linkerd2-testutil-sampleMetrics.txt', synthetic);
const istioText = read('envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt', synthetic);

const count = Number(process.argv[2] ?? 200);
const urls = [];
for (let i = 0; i < count; i++) {
  const linkerd = i % 2 === 0;
  const pod = `${linkerd ? 'web' : 'reviews'}-${i}-5d9f8c6b57-x2kqp`;
  const overrides = new Map();
  const server = createServer((req, res) => {
    const [path, query = ''] = req.url.split('?');
    if (!linkerd && path === '/runtime') {
      const entries = Object.fromEntries([...overrides].map(([k, v]) => [k, {layer_values: ['', v], final_value: v}]));
      return res.end(JSON.stringify({layers: ['global config', 'admin'], entries}));
    }
    if (!linkerd && path === '/runtime_modify' && req.method === 'POST') {
      for (const [k, v] of new URLSearchParams(query)) v === '' ? overrides.delete(k) : overrides.set(k, v);
      return res.end('OK\n');
    }
    if (linkerd && path === '/metrics') return res.end(linkerdText);
    if (!linkerd && path === '/stats/prometheus') return res.end(istioText);
    if (path === '/ready') return res.end('ready\n');
    if (linkerd && path === '/env.json') return res.end(JSON.stringify({_pod_name: pod, _pod_ns: 'bench', _pod_sa: 'web'}));
    if (!linkerd && path === '/server_info') return res.end(JSON.stringify({version: 'x/1.29.1/Clean/RELEASE/BoringSSL', node: {id: `sidecar~10.0.0.1~${pod}.bench~bench.svc.cluster.local`, metadata: {NAME: pod, NAMESPACE: 'bench', WORKLOAD_NAME: 'reviews'}}}));
    res.statusCode = 404;
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  urls.push(`http://127.0.0.1:${server.address().port}`);
}
process.stdout.write(`${JSON.stringify({urls})}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
