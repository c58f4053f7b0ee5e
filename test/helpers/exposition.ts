/**
 * Hand-written exposition text in each proxy's format, for servers whose counters advance
 * between scrapes. Latencies are given as observations per bucket (non-cumulative), and the
 * text is rendered cumulatively, as the proxies do.
 */
export const LINKERD_BOUNDS = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];
export const ENVOY_BOUNDS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

export interface Traffic {
  status: string;
  /** Observations keyed by the upper bound of the bucket they fall into. */
  byBucket: Record<number, number>;
}

function total(t: Traffic): number {
  return Object.values(t.byBucket).reduce((a, b) => a + b, 0);
}

function buckets(bounds: number[], t: Traffic, scale: number): {le: string; count: number}[] {
  let running = 0;
  const out = bounds.map((b) => {
    running += (t.byBucket[b] ?? 0) * scale;
    return {le: String(b), count: running};
  });
  out.push({le: '+Inf', count: total(t) * scale});
  return out;
}

/** linkerd2-proxy inbound series for one pod after `scale` rounds of `traffic`. */
export function linkerdInbound(traffic: Traffic[], scale: number, startTime: number, port = '8080'): string {
  const base = `direction="inbound",target_addr="0.0.0.0:${port}",target_ip="0.0.0.0",target_port="${port}",tls="true",client_id="web.shop.serviceaccount.identity.linkerd.cluster.local",srv_kind="default",srv_name="all-unauthenticated",authz_kind="default",authz_name="all-unauthenticated"`;
  const lines = ['# HELP request_total Total count of HTTP requests.', '# TYPE request_total counter'];
  lines.push(`request_total{${base}} ${traffic.reduce((a, t) => a + total(t), 0) * scale}`);
  lines.push('# HELP response_latency_ms Elapsed times between a request\'s headers being received and its response stream completing', '# TYPE response_latency_ms histogram');
  for (const t of traffic) {
    for (const b of buckets(LINKERD_BOUNDS, t, scale)) lines.push(`response_latency_ms_bucket{${base},status_code="${t.status}",le="${b.le}"} ${b.count}`);
    lines.push(`response_latency_ms_count{${base},status_code="${t.status}"} ${total(t) * scale}`);
    lines.push(`response_latency_ms_sum{${base},status_code="${t.status}"} 0`);
  }
  lines.push('# HELP response_total Total count of HTTP responses.', '# TYPE response_total counter');
  for (const t of traffic) {
    const cls = t.status.startsWith('5') ? 'failure' : 'success';
    lines.push(`response_total{${base},status_code="${t.status}",classification="${cls}",grpc_status="",error=""} ${total(t) * scale}`);
  }
  lines.push('# HELP process_start_time_seconds Time that the process started (in seconds since the UNIX epoch)', '# TYPE process_start_time_seconds gauge', `process_start_time_seconds ${startTime}`);
  return `${lines.join('\n')}\n`;
}

/** Istio server-side (reporter="destination") series for one workload. */
export function istioInbound(workload: string, namespace: string, traffic: Traffic[], scale: number, uptime: number): string {
  const labels = (status: string) =>
    `reporter="destination",source_workload="webapp",source_workload_namespace="${namespace}",source_principal="spiffe://cluster.local/ns/${namespace}/sa/webapp",source_app="webapp",source_version="v1",source_cluster="Kubernetes",destination_workload="${workload}",destination_workload_namespace="${namespace}",destination_principal="spiffe://cluster.local/ns/${namespace}/sa/${workload}",destination_app="${workload}",destination_version="v1",destination_service="${workload}.${namespace}.svc.cluster.local",destination_canonical_service="${workload}",destination_canonical_revision="v1",destination_service_name="${workload}",destination_service_namespace="${namespace}",destination_cluster="Kubernetes",request_protocol="http",response_code="${status}",grpc_response_status="",response_flags="-",connection_security_policy="mutual_tls"`;
  const lines = ['# TYPE istio_requests_total counter'];
  for (const t of traffic) lines.push(`istio_requests_total{${labels(t.status)}} ${total(t) * scale}`);
  lines.push('# TYPE istio_request_duration_milliseconds histogram');
  for (const t of traffic) {
    for (const b of buckets(ENVOY_BOUNDS, t, scale)) lines.push(`istio_request_duration_milliseconds_bucket{${labels(t.status)},le="${b.le}"} ${b.count}`);
    lines.push(`istio_request_duration_milliseconds_sum{${labels(t.status)}} 0`, `istio_request_duration_milliseconds_count{${labels(t.status)}} ${total(t) * scale}`);
  }
  lines.push('# TYPE envoy_server_uptime gauge', `envoy_server_uptime{} ${uptime}`);
  return `${lines.join('\n')}\n`;
}
