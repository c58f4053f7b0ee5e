import {BucketHistogram} from '../../metrics/histogram.js';
import {formatLabels, joinLabels, SeriesMap} from '../../metrics/series.js';
import type {ForwardInfo, RequestInfo} from '../../sidecar/plugin.js';
import {matchRoute, serviceAuthority} from '../../topology.js';
import {
  AUTHZ_LABELS,
  classLabels,
  clientTlsLabels,
  destinationLabels,
  endpointTarget,
  inboundRouteLabels,
  serverPolicyLabels,
  serverTlsLabels,
  targetLabels,
} from './labels.js';

/** linkerd2-proxy's latency histogram bounds in milliseconds (linkerd/metrics/src/latency.rs). */
export const LATENCY_MS_BOUNDS = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];

const LATENCY_HELP = "Elapsed times between a request's headers being received and its response stream completing";

/** One `request_total` / `response_latency_ms` / `response_total` triple, optionally prefixed. */
class RequestFamilies {
  readonly requests = new SeriesMap(() => ({value: 0}));
  readonly latency = new SeriesMap(() => new BucketHistogram(LATENCY_MS_BOUNDS));
  readonly responses = new SeriesMap(() => ({value: 0}));

  constructor(readonly prefix: string, readonly withLatency = true) {}

  record(labels: string, status: number, error: string, elapsedMs: number): void {
    this.requests.get(labels).value++;
    if (status === 0) return;
    const withStatus = joinLabels(labels, formatLabels([['status_code', String(status)]]));
    // The proxy's histograms count whole milliseconds.
    if (this.withLatency) this.latency.get(withStatus).observe(Math.floor(elapsedMs));
    this.responses.get(joinLabels(withStatus, classLabels(status, error))).value++;
  }

  render(): string {
    if (this.requests.size === 0) return '';
    const name = (base: string) => (this.prefix ? `${this.prefix}_${base}` : base);
    let out = `# HELP ${name('request_total')} Total count of HTTP requests.\n# TYPE ${name('request_total')} counter\n`;
    for (const {labels, value} of this.requests.entries()) out += `${name('request_total')}{${labels}} ${value.value}\n`;
    if (this.withLatency) {
      const hist = name('response_latency_ms');
      out += `# HELP ${hist} ${LATENCY_HELP}\n# TYPE ${hist} histogram\n`;
      for (const {labels, value} of this.latency.entries()) {
        const cumulative = value.cumulative();
        LATENCY_MS_BOUNDS.forEach((bound, i) => (out += `${hist}_bucket{${labels},le="${bound}"} ${cumulative[i]}\n`));
        out += `${hist}_bucket{${labels},le="+Inf"} ${value.count}\n`;
        out += `${hist}_count{${labels}} ${value.count}\n${hist}_sum{${labels}} ${value.sum}\n`;
      }
    }
    out += `# HELP ${name('response_total')} Total count of HTTP responses.\n# TYPE ${name('response_total')} counter\n`;
    for (const {labels, value} of this.responses.entries()) out += `${name('response_total')}{${labels}} ${value.value}\n`;
    return out;
  }
}

/**
 * The legacy HTTP families: per endpoint (`request_total`, `response_latency_ms`,
 * `response_total`, plus `inbound_http_authz_allow_total`) and per ServiceProfile route
 * (`route_*` with `rt_route`, `route_actual_*`).
 */
export class HttpMetrics {
  private readonly endpoint = new RequestFamilies('');
  private readonly route = new RequestFamilies('route');
  private readonly routeActual = new RequestFamilies('route_actual', false);
  private readonly authzAllow = new SeriesMap(() => ({value: 0}));

  constructor(
    private readonly meshTls: boolean,
    private readonly probePaths: readonly string[],
  ) {}

  /** One finished exchange; `status` 0 means no response reached the client. */
  record(info: RequestInfo, status: number, elapsed: number, forward: ForwardInfo | null): void {
    if (info.direction === 'inbound') {
      const tls = serverTlsLabels(info.downstream, this.meshTls);
      const policy = joinLabels(serverPolicyLabels(info.target.port), inboundRouteLabels(info.path, this.probePaths), AUTHZ_LABELS);
      this.authzAllow.get(joinLabels(targetLabels(info.target), policy, tls)).value++;
      this.endpoint.record(joinLabels('direction="inbound"', targetLabels(info.target), tls, policy), status, '', elapsed);
    } else if (forward?.endpoint) {
      const endpoint = forward.endpoint;
      const labels = joinLabels(
        formatLabels([['direction', 'outbound'], ['authority', info.authority]]),
        targetLabels(endpointTarget(endpoint)),
        clientTlsLabels(forward.upstream, this.meshTls),
        destinationLabels(endpoint.pod, endpoint.service),
      );
      this.endpoint.record(labels, status, '', elapsed);
    }
    const service = info.service;
    if (service?.routePolicy !== 'serviceprofile') return;
    const route = matchRoute(service, info.method, info.path);
    const routeLabels = joinLabels(
      formatLabels([['direction', info.direction], ['dst', serviceAuthority(service)]]),
      route ? formatLabels([['rt_route', route.template]]) : '',
    );
    this.route.record(routeLabels, status, '', elapsed);
    // Without a retry budget every actual request is the request itself.
    if (info.direction === 'outbound') this.routeActual.record(routeLabels, status, '', elapsed);
  }

  renderAuthz(): string {
    if (this.authzAllow.size === 0) return '';
    let out = '# HELP inbound_http_authz_allow_total The total number of inbound HTTP requests that were authorized\n# TYPE inbound_http_authz_allow_total counter\n';
    for (const {labels, value} of this.authzAllow.entries()) out += `inbound_http_authz_allow_total{${labels}} ${value.value}\n`;
    return out;
  }

  renderRequests(): string {
    return this.endpoint.render() + this.route.render() + this.routeActual.render();
  }
}
