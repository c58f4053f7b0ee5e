// Time and memory of the topology renderers on generated meshes of growing size.
// Run after building: `npm run build && node --expose-gc bench/topology.bench.js`.
import {Chalk} from 'chalk';
import {renderDot, renderMermaid, renderTopology} from '../dist/render/topology/index.js';

/** A layered mesh: a few entry points, then services calling services in later layers. */
function mesh(nodeCount, edgeCount, seed = 7) {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const layers = Math.max(2, Math.round(Math.sqrt(nodeCount) / 2));
  const nodes = Array.from({length: nodeCount}, (_, i) => ({
    id: `ns${i % 4}/svc-${i}`,
    name: `svc-${i}`,
    namespace: `ns${i % 4}`,
    kind: i < 2 ? 'ingress' : 'workload',
    layer: Math.min(layers - 1, Math.floor((i / nodeCount) * layers)),
  }));
  const edges = [];
  while (edges.length < edgeCount) {
    const from = nodes[Math.floor(random() * nodeCount)];
    const later = nodes.filter((n) => n.layer > from.layer);
    // A few calls go back to earlier layers, as retries and callbacks do in real meshes.
    const pool = later.length > 0 && random() > 0.05 ? later : nodes;
    const to = pool[Math.floor(random() * pool.length)];
    edges.push({
      from: from.id,
      to: to.id,
      rps: Math.round(random() * 5000) / 10,
      success: random() > 0.2 ? 1 : Math.round(random() * 1000) / 1000,
      latencyMsP99: Math.round(random() * 3000) / 10,
      secured: random() > 0.1,
      measuredBy: 'both',
    });
  }
  return {nodes: nodes.map(({layer: _layer, ...node}) => node), edges};
}

function measure(label, iterations, fn) {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const times = [];
  let result;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    result = fn();
    times.push(performance.now() - start);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const max = times[times.length - 1];
  const lines = typeof result === 'string' ? result.split('\n').length : result.text.split('\n').length;
  const how = typeof result === 'string' ? '' : result.notice ? (result.notice.includes('listed') ? 'listed' : 'reduced') : 'drawn';
  console.log(
    `${label.padEnd(34)} median ${median.toFixed(1).padStart(7)} ms   max ${max.toFixed(1).padStart(7)} ms   ` +
      `heap +${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1).padStart(5)} MiB   ${String(lines).padStart(5)} lines ${how}`,
  );
}

const chalk = new Chalk({level: 0});
console.log(`## Topology rendering\n\nNode ${process.version}; median and max over repeated renders of generated meshes (n nodes / e edges); "listed" means the graph did not fit and was listed instead.\n\n\`\`\``);
process.on('exit', () => console.log('```'));
const sizes = [
  [5, 5, 50],
  [20, 40, 20],
  [50, 120, 10],
  [150, 500, 5],
  [1000, 3000, 5],
];
for (const [nodes, edges, iterations] of sizes) {
  const graph = mesh(nodes, edges);
  for (const width of [80, 250]) {
    measure(`terminal ${nodes}n/${edges}e width ${width}`, iterations, () => renderTopology(graph, {width, unicode: true, color: chalk}));
  }
  measure(`dot ${nodes}n/${edges}e`, iterations, () => renderDot(graph));
  measure(`mermaid ${nodes}n/${edges}e`, iterations, () => renderMermaid(graph));
}
