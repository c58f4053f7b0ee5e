import type {PodInfo} from '../../mesh/pod.js';
import type {SocketAddress} from '../../sidecar/plugin.js';
import {CLUSTER_DOMAIN} from '../../topology.js';

export const PROXY_VERSION = 'v2.294.0';
export const NODE_NAME = 'meshctl-demo-node';
export const DEFAULT_LOG_LEVEL = 'warn,linkerd=info,hickory=error,[{headers}]=off,[{request}]=off';

export interface ProxyEnvInput {
  pod: PodInfo;
  podUid: string;
  admin: SocketAddress;
  inbound: SocketAddress[];
  outbound: SocketAddress;
  identity: boolean;
  /** OTLP collector `host:port` the proxy exports spans to, or null when tracing is off. */
  traceCollector: string | null;
}

/**
 * The proxy container's environment as `/env.json` shows it: what linkerd2's injector
 * (charts/partials/templates/_proxy.tpl) sets, with the demo's real listen addresses.
 */
export function proxyEnvironment(input: ProxyEnvInput): Record<string, string> {
  const {pod} = input;
  const addr = (a: SocketAddress) => `${a.host}:${a.port}`;
  const env: Record<string, string> = {
    _pod_name: pod.name,
    _pod_ns: pod.namespace,
    _pod_uid: input.podUid,
    _pod_nodeName: NODE_NAME,
    _pod_containerName: 'linkerd-proxy',
    _pod_sa: pod.serviceAccount,
    _l5d_ns: 'linkerd',
    _l5d_trustdomain: CLUSTER_DOMAIN,
    LINKERD2_PROXY_LOG: DEFAULT_LOG_LEVEL,
    LINKERD2_PROXY_LOG_FORMAT: 'plain',
    LINKERD2_PROXY_ADMIN_LISTEN_ADDR: addr(input.admin),
    LINKERD2_PROXY_INBOUND_LISTEN_ADDR: input.inbound.map(addr).join(','),
    LINKERD2_PROXY_INBOUND_IPS: pod.ip,
    LINKERD2_PROXY_OUTBOUND_LISTEN_ADDR: addr(input.outbound),
    LINKERD2_PROXY_POLICY_WORKLOAD: `{"ns":"${pod.namespace}", "pod":"${pod.name}"}\n`,
    LINKERD2_PROXY_DESTINATION_CONTEXT: `{"ns":"${pod.namespace}", "nodeName":"${NODE_NAME}", "pod":"${pod.name}"}\n`,
    LINKERD2_PROXY_DESTINATION_SVC_ADDR: `linkerd-dst-headless.linkerd.svc.${CLUSTER_DOMAIN}.:8086`,
    LINKERD2_PROXY_IDENTITY_LOCAL_NAME: pod.linkerdId,
    LINKERD2_PROXY_SHUTDOWN_ENDPOINT_ENABLED: 'false',
    MESHCTL_DEMO: 'this sidecar is part of `meshctl demo`, a local imitation of linkerd2-proxy',
  };
  if (!input.identity) env.LINKERD2_PROXY_IDENTITY_DISABLED = 'disabled';
  if (input.traceCollector) {
    env.LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR = input.traceCollector;
    env.LINKERD2_PROXY_TRACE_PROTOCOL = 'opentelemetry';
    env.LINKERD2_PROXY_TRACE_SERVICE_NAME = pod.workload;
  }
  return env;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'off']);

/** Whether `filter` is an EnvFilter directive list the proxy would accept (`linkerd=debug,warn`). */
export function validLogFilter(filter: string): boolean {
  const directives = filter.trim().split(',');
  if (directives.length === 0 || directives.some((d) => d.trim() === '')) return false;
  return directives.every((directive) => {
    const d = directive.trim();
    const eq = d.lastIndexOf('=');
    if (eq === -1) return LEVELS.has(d.toLowerCase()) || /^[a-z_][a-z0-9_:]*$/i.test(d);
    const target = d.slice(0, eq);
    return target !== '' && LEVELS.has(d.slice(eq + 1).toLowerCase());
  });
}
