import type {ParsedMetrics} from '../../metrics/types.js';
import type {ProxyIdentity} from '../../model/workload.js';
import {canonicalIp} from '../../util/ip.js';

/** The parts of Envoy's `/server_info` (envoy.admin.v3.ServerInfo) meshctl reads. */
export interface ServerInfo {
  version?: string;
  state?: string;
  uptime_current_epoch?: string;
  node?: {
    id?: string;
    cluster?: string;
    metadata?: Record<string, unknown>;
  };
}

/**
 * Identity from `/server_info`. Istio puts the pod in `node.metadata` (NAME, NAMESPACE,
 * WORKLOAD_NAME, SERVICE_ACCOUNT) and in `node.id` = `sidecar~<ip>~<pod>.<ns>~<ns>.svc.<domain>`;
 * plain Envoy only has `node.id` and `node.cluster`, which then stand for pod and workload.
 */
export function identityFromServerInfo(info: ServerInfo): ProxyIdentity {
  const meta = info.node?.metadata ?? {};
  const str = (key: string) => (typeof meta[key] === 'string' && meta[key] !== '' ? (meta[key] as string) : null);
  const fromId = parseIstioNodeId(info.node?.id);
  const pod = str('NAME') ?? fromId?.pod ?? info.node?.id ?? null;
  return {
    pod,
    namespace: str('NAMESPACE') ?? fromId?.namespace ?? null,
    workload: str('WORKLOAD_NAME') ?? (fromId ? null : info.node?.cluster || null),
    serviceAccount: str('SERVICE_ACCOUNT'),
    podIp: fromId?.ip ?? null,
    source: 'server_info',
  };
}

function parseIstioNodeId(id: string | undefined): {pod: string; namespace: string; ip: string | null} | null {
  if (!id) return null;
  const parts = id.split('~');
  if (parts.length !== 4) return null;
  const dot = parts[2].lastIndexOf('.');
  if (dot <= 0) return null;
  return {pod: parts[2].slice(0, dot), namespace: parts[2].slice(dot + 1), ip: canonicalIp(parts[1])};
}

/** Envoy's `version` string (`<sha>/1.29.1/Clean/RELEASE/BoringSSL`) → `1.29.1` when recognisable. */
export function shortEnvoyVersion(version: string | undefined): string | null {
  if (!version) return null;
  const match = /\/(\d+\.\d+\.\d+[^/]*)\//.exec(version);
  return match ? match[1] : version;
}

/** Protobuf JSON Duration (`"3600s"`, `"1.5s"`) in seconds. */
export function durationSeconds(value: string | undefined): number | null {
  if (!value) return null;
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(value);
  return match ? Number(match[1]) : null;
}

/**
 * Without an admin port (metrics from :15090/:15020 only) the series still say who the proxy
 * is: Istio's server-side series name the destination workload; Consul adds `local_cluster`
 * and `consul_source_*` to every series.
 */
export function identityFromSeries(metrics: ParsedMetrics): ProxyIdentity | null {
  const votes = new Map<string, {workload: string; namespace: string | null; n: number}>();
  const vote = (workload: string | undefined, namespace: string | undefined) => {
    if (!workload || workload === 'unknown') return;
    const key = `${namespace ?? ''}/${workload}`;
    const entry = votes.get(key) ?? {workload, namespace: namespace || null, n: 0};
    entry.n++;
    votes.set(key, entry);
  };
  for (const s of metrics.samples('istio_requests_total')) {
    if (s.labels.reporter === 'destination') vote(s.labels.destination_workload, s.labels.destination_workload_namespace);
    else if (s.labels.reporter === 'source') vote(s.labels.source_workload, s.labels.source_workload_namespace);
  }
  if (votes.size === 0) {
    for (const s of metrics.samples('envoy_server_uptime')) vote(s.labels.consul_source_service ?? s.labels.local_cluster, s.labels.consul_source_namespace);
  }
  const best = [...votes.values()].sort((a, b) => b.n - a.n)[0];
  if (!best) return null;
  return {pod: null, workload: best.workload, namespace: best.namespace, serviceAccount: null, source: 'series'};
}
