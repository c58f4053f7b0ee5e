import {sanitize} from '../render/sanitize.js';
import {formatDuration} from '../util/duration.js';
import {CONTEXT_NAME} from './context-entry.js';
import {describeOtlp} from './options.js';
import type {DemoState} from './state.js';

function table(unsafe: string[][]): string {
  // The state file is read back from disk: print what it holds, never terminal controls.
  const rows = unsafe.map((r) => r.map(sanitize));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('   ').trimEnd()).join('\n');
}

function traceLine(flavor: string, share: number): string {
  const started = `${Math.round(share * 1000) / 10}% of requests start a sampled trace`;
  return flavor === 'istio' ? `sidecars sample 0% until \`meshctl trace enable\`${share > 0 ? `, and ${started}` : ''}` : started;
}

function describe(state: DemoState): string {
  const o = state.options;
  return (
    `  flavour ${o.flavor}, ${state.mtls ? 'mutual TLS between sidecars' : 'plaintext between sidecars (no openssl)'}, namespace booksapp\n` +
    `  load: ${o.rps} rps from traffic → webapp; books fails ${Math.round(o.errorRate * 1000) / 10}% of requests; seed ${o.seed}\n` +
    `  traces: ${traceLine(o.flavor, o.traceShare)}; spans go ${sanitize(describeOtlp(o.otlp))}\n` +
    `  ground truth: ${sanitize(state.controlUrl)}/truth\n`
  );
}

export function podsTable(state: DemoState): string {
  const istio = state.pods.some((p) => p.admin);
  const head = istio ? ['POD', 'WORKLOAD', 'METRICS (:15090)', 'ADMIN (:15000)'] : ['POD', 'WORKLOAD', 'ADMIN (:4191)'];
  return table([head, ...state.pods.map((p) => (istio ? [p.name, p.workload, p.url, p.admin ?? ''] : [p.name, p.workload, p.url]))]);
}

export function renderStarted(state: DemoState, contextsPath: string, previous: string | undefined, already = false): string {
  const where = state.foreground ? 'in the foreground' : `in the background (pid ${state.pid}, log ${sanitize(String(state.logFile))})`;
  const headline = already ? `The bookstore mesh was already running ${where}; left it alone.` : `Started the bookstore mesh ${where}.`;
  const tap = state.options.flavor === 'istio'
    ? '  meshctl tap deploy/webapp         live requests through Envoy\'s admin /tap\n' +
      '  meshctl trace enable              switch span sampling on through /runtime_modify\n'
    : '';
  return (
    `${headline}\n${describe(state)}\n${podsTable(state)}\n\n` +
    `Context "${CONTEXT_NAME}" is now current in ${contextsPath}${previous ? ` (was "${previous}")` : ''}.\n` +
    'Try:\n' +
    '  meshctl stat                      success rate, RPS and latency per workload\n' +
    '  meshctl stat po                   the same per pod\n' +
    '  meshctl proxies                   every sidecar: dialect, version, identity\n' +
    '  meshctl routes deploy/webapp      per-route figures\n' +
    '  meshctl topology                  who talks to whom\n' +
    '  meshctl top                       the busiest paths, live\n' +
    tap +
    `  meshctl trace collect             receive the sidecars' spans (they export ${sanitize(describeOtlp(state.options.otlp))})\n` +
    (state.foreground ? '\nPress Ctrl-C to stop.\n' : '  meshctl demo status | meshctl demo down\n')
  );
}

export function renderStatus(state: DemoState | null, stale: number | null): string {
  if (!state) return `demo: not running${stale ? ` (cleaned up the state of a demo that had died, pid ${stale})` : ''}\n`;
  const uptime = formatDuration(Date.now() - Date.parse(state.startedAt));
  const how = state.foreground ? 'in the foreground' : 'in the background';
  return `demo: running ${how} (pid ${state.pid}, up ${uptime})\n${describe(state)}\n${podsTable(state)}\n`;
}
