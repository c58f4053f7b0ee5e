// Measures naming the other side of tapped requests (views/peer-naming.ts) against an address
// book of many proxies: events per second, by kind of event. Run after a build:
// `node bench/peer-naming.bench.js [events]` (default 1,000,000). Prints markdown; asserts nothing.
import {AddressBook} from '../dist/views/address-book.js';
import {namePeers} from '../dist/views/peer-naming.js';

const events = Number(process.argv[2] ?? 1_000_000);
const proxies = 2000;
const known = Array.from({length: proxies}, (_, i) => ({
  // Every fourth workload carries a version suffix (`svc8-v1`) and is found by its service name.
  workload: {name: i % 4 === 0 ? `svc${i - (i % 8)}-v${1 + ((i >> 2) & 1)}` : `svc${i}`, namespace: `ns${i % 8}`},
  podIp: `10.${(i >> 8) & 255}.${i & 255}.7`,
}));
const book = new AddressBook(known);

const base = {
  id: '0:0', proxy: 'p', method: 'GET', scheme: 'http', path: '/x', status: 200, grpcStatus: null, latencyMs: 1,
  latencySource: null, requestBytes: 0, responseBytes: 0, requestBodyTruncated: false, responseBodyTruncated: false,
  requestHeaders: [], responseHeaders: [], responseTrailers: [], route: null, outcome: 'response',
  requestStartMs: null, responseHeadersMs: null, endMs: null, observedAtMs: 0,
};
const self = {name: 'svc1', namespace: 'ns1'};
const kinds = {
  'inbound, known caller IP': (i) => ({...base, direction: 'inbound', source: null, destination: self, sourceAddress: `10.${(i >> 8) & 7}.${i & 255}.7:40000`, destinationAddress: null, authority: 'svc1:80'}),
  'inbound, unknown caller IP': () => ({...base, direction: 'inbound', source: null, destination: self, sourceAddress: '192.168.1.1:40000', destinationAddress: null, authority: 'svc1:80'}),
  'outbound, service authority': (i) => ({...base, direction: 'outbound', source: self, destination: null, sourceAddress: null, destinationAddress: null, authority: `svc${i % 2000}.ns${i % 8}.svc.cluster.local:80`}),
};

console.log(`## Peer naming (${proxies} known proxies, ${events.toLocaleString('en')} events per kind, Node ${process.version})\n`);
console.log('| event | events/s | named |');
console.log('|---|---:|---:|');
for (const [kind, make] of Object.entries(kinds)) {
  const input = Array.from({length: 4096}, (_, i) => make(i));
  let named = 0;
  const started = performance.now();
  for (let i = 0; i < events; i++) {
    const event = input[i & 4095];
    const out = namePeers(event, book);
    if (out !== event) named++;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`| ${kind} | ${Math.round(events / seconds).toLocaleString('en')} | ${((named / events) * 100).toFixed(0)}% |`);
}
