import type {ProxyIdentity} from '../../model/workload.js';
import type {TraceCollectorSettings} from '../types.js';
import {workloadFromPodName} from '../pod-name.js';
import {canonicalIp} from '../../util/ip.js';

/**
 * Identity from linkerd2-proxy's `/env.json` (proxy ≥ v2.185, Linkerd 2.12). The injector sets
 * `_pod_name`, `_pod_ns`, `_pod_sa`, and JSON contexts `LINKERD2_PROXY_DESTINATION_CONTEXT` /
 * `LINKERD2_PROXY_POLICY_WORKLOAD` (older injectors: `ns:<namespace>`), plus
 * `LINKERD2_PROXY_IDENTITY_LOCAL_NAME` = `<sa>.<ns>.serviceaccount.identity.<...>`, and
 * `LINKERD2_PROXY_INBOUND_IPS` = the pod's `status.podIPs`, comma-separated.
 */
export function identityFromEnv(env: Record<string, unknown>): ProxyIdentity {
  const str = (key: string) => (typeof env[key] === 'string' && env[key] !== '' ? (env[key] as string) : null);
  const destination = parseContext(str('LINKERD2_PROXY_DESTINATION_CONTEXT'));
  const policy = parseContext(str('LINKERD2_PROXY_POLICY_WORKLOAD'));
  const localName = str('LINKERD2_PROXY_IDENTITY_LOCAL_NAME');
  const [sa, saNs] = localName ? localName.split('.') : [];

  const pod = str('_pod_name') ?? destination.pod ?? policy.pod ?? null;
  const namespace = str('_pod_ns') ?? destination.ns ?? policy.ns ?? saNs ?? null;
  return {
    pod,
    namespace,
    workload: pod ? workloadFromPodName(pod).name : null,
    serviceAccount: str('_pod_sa') ?? sa ?? null,
    podIp: firstIp(str('LINKERD2_PROXY_INBOUND_IPS')),
    source: 'env.json',
  };
}

function parseContext(value: string | null): {ns?: string; pod?: string} {
  if (!value) return {};
  const trimmed = value.trim();
  if (trimmed.startsWith('ns:')) return {ns: trimmed.slice(3)};
  try {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    return {
      ns: typeof parsed.ns === 'string' ? parsed.ns : undefined,
      pod: typeof parsed.pod === 'string' ? parsed.pod : undefined,
    };
  } catch {
    return {};
  }
}

/** The trace collector settings the injector put in a proxy's environment. */
export function traceConfigFromEnv(env: Record<string, unknown>): TraceCollectorSettings {
  const str = (key: string) => (typeof env[key] === 'string' && env[key] !== '' ? (env[key] as string) : null);
  return {
    collector: str('LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR'),
    protocol: str('LINKERD2_PROXY_TRACE_PROTOCOL'),
    serviceName: str('LINKERD2_PROXY_TRACE_SERVICE_NAME'),
    collectorIdentity: str('LINKERD2_PROXY_TRACE_COLLECTOR_SVC_NAME'),
  };
}

/** The first well-formed address of a comma-separated podIPs list (IPv4 first on dual-stack pods). */
function firstIp(list: string | null): string | null {
  if (list === null) return null;
  for (const entry of list.split(',')) {
    const ip = canonicalIp(entry.trim());
    if (ip !== null) return ip;
  }
  return null;
}
