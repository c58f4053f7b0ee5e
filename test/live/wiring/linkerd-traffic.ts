import {LINKERD_BOUNDS} from '../../helpers/exposition.js';

/**
 * linkerd2-proxy `/metrics` text with outbound and inbound HTTP series, labelled as a
 * real proxy labels them (compare fixtures/linkerd/metrics/*). Each series is given as
 * observations per latency bucket for one scrape round; `rounds` scales them, so a server
 * that renders round n, n+1, ... has counters that advance by a known amount per scrape.
 */
export interface HopSeries {
  status: string;
  /** Observations keyed by the upper bound (ms) of their bucket. */
  byBucket: Record<number, number>;
}

export interface OutboundHop {
  authority: string;
  dstDeployment: string;
  dstNamespace: string;
  series: HopSeries[];
}

export interface InboundHop {
  /** The client's service account and namespace (its mTLS identity); null = no identity. */
  client: {serviceAccount: string; namespace: string} | null;
  series: HopSeries[];
}

function total(s: HopSeries): number {
  return Object.values(s.byBucket).reduce((a, b) => a + b, 0);
}

function histogram(labels: string, s: HopSeries, rounds: number): string[] {
  const lines: string[] = [];
  let running = 0;
  for (const bound of LINKERD_BOUNDS) {
    running += (s.byBucket[bound] ?? 0) * rounds;
    lines.push(`response_latency_ms_bucket{${labels},le="${bound}"} ${running}`);
  }
  lines.push(`response_latency_ms_bucket{${labels},le="+Inf"} ${total(s) * rounds}`);
  lines.push(`response_latency_ms_count{${labels}} ${total(s) * rounds}`, `response_latency_ms_sum{${labels}} 0`);
  return lines;
}

function outboundLabels(hop: OutboundHop): string {
  const sa = hop.dstDeployment;
  return `direction="outbound",authority="${hop.authority}",target_addr="10.42.1.24:7002",target_ip="10.42.1.24",target_port="7002",tls="true",server_id="${sa}.${hop.dstNamespace}.serviceaccount.identity.linkerd.cluster.local",dst_control_plane_ns="linkerd",dst_deployment="${hop.dstDeployment}",dst_namespace="${hop.dstNamespace}",dst_pod="${hop.dstDeployment}-9d9566587-xhsrl",dst_pod_template_hash="9d9566587",dst_service="${hop.dstDeployment}",dst_serviceaccount="${sa}"`;
}

function inboundLabels(hop: InboundHop): string {
  const base = 'direction="inbound",target_addr="0.0.0.0:7002",target_ip="0.0.0.0",target_port="7002"';
  const tls = hop.client
    ? `tls="true",client_id="${hop.client.serviceAccount}.${hop.client.namespace}.serviceaccount.identity.linkerd.cluster.local"`
    : 'tls="no_identity",no_tls_reason="no_tls_from_remote"';
  return `${base},${tls},srv_kind="default",srv_name="all-unauthenticated"`;
}

export function linkerdTraffic(hops: {outbound?: OutboundHop[]; inbound?: InboundHop[]}, rounds: number, startTime: number): string {
  const all = [...(hops.outbound ?? []).map((h) => ({labels: outboundLabels(h), series: h.series})), ...(hops.inbound ?? []).map((h) => ({labels: inboundLabels(h), series: h.series}))];
  const lines = ['# TYPE response_latency_ms histogram'];
  for (const {labels, series} of all) for (const s of series) lines.push(...histogram(`${labels},status_code="${s.status}"`, s, rounds));
  lines.push('# TYPE response_total counter');
  for (const {labels, series} of all) {
    for (const s of series) {
      const classification = s.status.startsWith('5') ? 'failure' : 'success';
      lines.push(`response_total{${labels},status_code="${s.status}",classification="${classification}",grpc_status="",error=""} ${total(s) * rounds}`);
    }
  }
  lines.push('# TYPE process_start_time_seconds gauge', `process_start_time_seconds ${startTime}`);
  return `${lines.join('\n')}\n`;
}

/** A `metrics()` body source that renders round 1, 2, 3, ... on successive scrapes. */
export function advancing(render: (round: number) => string): () => string {
  let round = 0;
  return () => render(++round);
}
