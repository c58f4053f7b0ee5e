import type {WorkloadRef} from '../../model/workload.js';
import {sanitize} from '../../render/sanitize.js';

/** A Linkerd proxy that `trace enable|disable` cannot switch. */
export interface LinkerdProxy {
  workload: WorkloadRef;
  /** `proxy_build_info` version, e.g. `v2.294.0`. */
  version: string | null;
  /** The collector from its /env.json; null when none, undefined when unknown. */
  collector?: string | null;
}

/**
 * Which configuration applies, by the proxy version Linkerd bundles: 2.18 ships proxy v2.294.0
 * and configures tracing through the linkerd-jaeger extension's injector; 2.19 ships v2.326.0,
 * and its control-plane chart has `proxy.tracing` (the extension was removed).
 */
export type LinkerdTracingConfig = 'helm-values' | 'jaeger-annotations' | 'unknown';

export function tracingConfigFor(version: string | null): LinkerdTracingConfig {
  const match = version ? /^v?2\.(\d+)\.\d+/.exec(version) : null;
  if (!match) return 'unknown';
  const minor = Number(match[1]);
  if (minor >= 326) return 'helm-values';
  if (minor <= 294) return 'jaeger-annotations';
  return 'unknown';
}

const MAX_RESTARTS = 20;
const KIND_SHORT: Record<string, string> = {deployment: 'deploy', statefulset: 'sts', daemonset: 'ds'};

/**
 * What to tell the user instead of switching: for enable, how to give proxies a collector (per
 * version) or, where they have one, how to get spans; for disable, how to stop them.
 */
export function linkerdAdvice(proxies: readonly LinkerdProxy[], action: 'enable' | 'disable'): string {
  const lines = [
    `linkerd2-proxy cannot switch span emission at runtime, so ${count(proxies.length, 'Linkerd proxy was', 'Linkerd proxies were')} left unchanged.`,
    'A Linkerd proxy exports spans only when it was started with a trace collector, and then only for',
    'requests that arrive with a sampled trace context (traceparent ...-01, or x-b3-sampled: 1); it never',
    'starts a trace itself.',
  ];
  const exporting = proxies.filter((p) => p.collector);
  const missing = proxies.filter((p) => !p.collector);
  if (action === 'disable') return `${[...lines, ...stopLines(exporting)].join('\n')}\n`;
  if (exporting.length > 0) {
    const collectors = [...new Set(exporting.map((p) => sanitize(p.collector!)))].join(', ');
    lines.push(
      '',
      `${count(exporting.length, 'proxy already exports', 'proxies already export')} spans (to ${collectors}): send requests with a sampled`,
      'context, e.g. -H "traceparent: 00-$(openssl rand -hex 16)-$(openssl rand -hex 8)-01".',
    );
  }
  if (missing.length > 0) lines.push(...configureLines(missing));
  return `${lines.join('\n')}\n`;
}

/** How to give proxies a collector: the values or annotations for their version, then a restart. */
function configureLines(proxies: readonly LinkerdProxy[]): string[] {
  const configs = new Set(proxies.map((p) => tracingConfigFor(p.version)));
  const versions = (config: LinkerdTracingConfig) => {
    const found = [...new Set(proxies.filter((p) => tracingConfigFor(p.version) === config).map((p) => sanitize(p.version ?? '?')))];
    return found.length > 0 ? ` (here: proxy ${found.join(', ')})` : '';
  };
  const lines = ['', `To give ${count(proxies.length, 'proxy', 'proxies')} without a collector one:`];
  if (configs.has('helm-values') || configs.has('unknown')) {
    lines.push(
      '',
      `Linkerd 2.19 and later${versions('helm-values')}: set it in the control plane's values:`,
      '  linkerd upgrade \\',
      '    --set proxy.tracing.enabled=true \\',
      '    --set proxy.tracing.collector.endpoint=COLLECTOR_HOST:PORT \\',
      '    --set proxy.tracing.collector.meshIdentity.serviceAccountName=COLLECTOR_SERVICE_ACCOUNT \\',
      '    --set proxy.tracing.collector.meshIdentity.namespace=COLLECTOR_NAMESPACE \\',
      '    | kubectl apply -f -',
      '  (with Helm: the same keys under proxy.tracing in the linkerd-control-plane chart values)',
    );
  }
  if (configs.has('jaeger-annotations') || configs.has('unknown')) {
    lines.push(
      '',
      `Linkerd 2.18 and earlier${versions('jaeger-annotations')}: with the linkerd-jaeger extension installed, annotate`,
      'the pod template (or the namespace):',
      '  config.linkerd.io/trace-collector: COLLECTOR_HOST:PORT',
      '  config.alpha.linkerd.io/trace-collector-service-account: COLLECTOR_SERVICE_ACCOUNT',
    );
  }
  if (configs.has('unknown')) lines.push('', 'The proxy version was not readable, so both ways are shown.');
  lines.push('', 'Then restart the workloads so their proxies are injected again:', ...restartCommands(proxies));
  return lines;
}

function stopLines(exporting: readonly LinkerdProxy[]): string[] {
  if (exporting.length === 0) return ['', 'None of them has a collector (or /env.json did not say), so none exports spans.'];
  return [
    '',
    `To stop the spans of ${count(exporting.length, 'proxy', 'proxies')} with a collector: send requests unsampled (traceparent ...-00,`,
    'x-b3-sampled: 0), or remove the collector (Linkerd 2.19 and later: --set proxy.tracing.enabled=false;',
    '2.18 and earlier: remove the config.linkerd.io/trace-collector annotation) and restart the workloads:',
    ...restartCommands(exporting),
  ];
}

function restartCommands(proxies: readonly LinkerdProxy[]): string[] {
  const commands = [
    ...new Set(
      proxies.map((p) => {
        const kind = KIND_SHORT[p.workload.kind ?? ''] ?? 'deploy';
        const namespace = p.workload.namespace ? ` -n ${p.workload.namespace}` : '';
        return sanitize(`  kubectl rollout restart ${kind}/${p.workload.name}${namespace}`);
      }),
    ),
  ].sort();
  if (commands.length <= MAX_RESTARTS) return commands;
  return [...commands.slice(0, MAX_RESTARTS), `  ... and ${commands.length - MAX_RESTARTS} more`];
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
