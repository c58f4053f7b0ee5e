import {BucketHistogram} from '../../metrics/histogram.js';
import {formatLabels, joinLabels, SeriesMap} from '../../metrics/series.js';
import type {ExchangeResult, RequestInfo} from '../../sidecar/plugin.js';
import {matchRoute, NAMESPACE, type ServiceSpec} from '../../topology.js';

/** Bucket bounds (seconds) of the policy router's histograms (linkerd/app/outbound/src/http/logical/policy/route/metrics.rs). */
export const REQUEST_DURATION_BOUNDS = [0.05, 0.5, 1, 10];
export const BACKEND_DURATION_BOUNDS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 10];

function parentLabels(service: ServiceSpec): string {
  return formatLabels([
    ['parent_group', 'core'],
    ['parent_kind', 'Service'],
    ['parent_namespace', NAMESPACE],
    ['parent_name', service.name],
    ['parent_port', String(service.port)],
    ['parent_section_name', ''],
  ]);
}

function routeLabels(service: ServiceSpec, info: RequestInfo): string {
  const route = matchRoute(service, info.method, info.path);
  if (!route) return formatLabels([['route_group', ''], ['route_kind', 'default'], ['route_namespace', ''], ['route_name', 'http']]);
  return formatLabels([
    ['route_group', 'gateway.networking.k8s.io'],
    ['route_kind', 'HTTPRoute'],
    ['route_namespace', NAMESPACE],
    ['route_name', route.name],
  ]);
}

function backendLabels(service: ServiceSpec): string {
  return formatLabels([
    ['backend_group', 'core'],
    ['backend_kind', 'Service'],
    ['backend_namespace', NAMESPACE],
    ['backend_name', service.name],
    ['backend_port', String(service.port)],
    ['backend_section_name', ''],
  ]);
}

/** `http_status` is empty when no response came back; `error` names why. */
function statusLabels(result: ExchangeResult): string {
  const noResponse = result.localReply || result.status === 0;
  return formatLabels([
    ['http_status', noResponse ? '' : String(result.status)],
    ['error', result.error === null ? '' : result.error === 'timeout' ? 'RESPONSE_HEADERS_TIMEOUT' : 'UNKNOWN'],
  ]);
}

/**
 * The prometheus-client families of the outbound policy router, for services routed by
 * HTTPRoutes (`outbound_http_route_*`) and their balancers. Printed in the OpenMetrics-style
 * tail of `/metrics`.
 */
export class RouteMetrics {
  private readonly requestDuration = new SeriesMap(() => new BucketHistogram(REQUEST_DURATION_BOUNDS));
  private readonly requestStatuses = new SeriesMap(() => ({value: 0}));
  private readonly backendRequests = new SeriesMap(() => ({value: 0}));
  private readonly backendDuration = new SeriesMap(() => new BucketHistogram(BACKEND_DURATION_BOUNDS));
  private readonly backendStatuses = new SeriesMap(() => ({value: 0}));
  /** Services whose balancers exist (created on first use, as the proxy builds them lazily). */
  private readonly balancers = new Map<string, ServiceSpec>();

  constructor(private readonly readyEndpoints: (service: ServiceSpec) => number) {}

  record(info: RequestInfo, result: ExchangeResult): void {
    const service = info.service;
    if (info.direction !== 'outbound' || service?.routePolicy !== 'httproute') return;
    const route = joinLabels(parentLabels(service), routeLabels(service, info));
    // Hostname labels are off unless LINKERD2_PROXY_OUTBOUND_METRICS_HOSTNAME_LABELS=true.
    const requestLabels = joinLabels(route, 'hostname=""');
    this.requestDuration.get(requestLabels).observe((result.endMs - info.startMs) / 1000);
    this.requestStatuses.get(joinLabels(requestLabels, statusLabels(result))).value++;
    if (result.upstreamStartMs === null) return;
    const backend = joinLabels(route, backendLabels(service));
    this.backendRequests.get(backend).value++;
    this.backendDuration.get(backend).observe((result.endMs - result.upstreamStartMs) / 1000);
    this.backendStatuses.get(joinLabels(backend, statusLabels(result))).value++;
    this.balancers.set(service.name, service);
  }

  render(): string {
    let out = '';
    out += histogram('outbound_http_route_request_duration_seconds', 'The time between request initialization and response completion.', this.requestDuration);
    out += counter('outbound_http_route_request_statuses', 'Completed request-response streams.', this.requestStatuses);
    out += counter('outbound_http_route_backend_requests', 'The total number of requests dispatched.', this.backendRequests);
    out += histogram('outbound_http_route_backend_response_duration_seconds', 'The time between request completion and response completion.', this.backendDuration);
    out += counter('outbound_http_route_backend_response_statuses', 'Completed responses.', this.backendStatuses);
    if (this.balancers.size > 0) {
      out += '# HELP outbound_http_balancer_endpoints The number of endpoints currently in a HTTP request balancer.\n# TYPE outbound_http_balancer_endpoints gauge\n';
      for (const service of this.balancers.values()) {
        const labels = joinLabels(parentLabels(service), backendLabels(service));
        out += `outbound_http_balancer_endpoints{endpoint_state="pending",${labels}} 0\n`;
        out += `outbound_http_balancer_endpoints{endpoint_state="ready",${labels}} ${this.readyEndpoints(service)}\n`;
      }
    }
    return out;
  }
}

/** OpenMetrics float: always with a fraction, as the Rust client prints f64. */
export function float(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function counter(name: string, help: string, series: SeriesMap<{value: number}>): string {
  if (series.size === 0) return '';
  let out = `# HELP ${name} ${help}\n# TYPE ${name} counter\n`;
  for (const {labels, value} of series.entries()) out += `${name}_total{${labels}} ${value.value}\n`;
  return out;
}

function histogram(name: string, help: string, series: SeriesMap<BucketHistogram>): string {
  if (series.size === 0) return '';
  let out = `# HELP ${name} ${help}\n# TYPE ${name} histogram\n# UNIT ${name} seconds\n`;
  for (const {labels, value} of series.entries()) {
    const cumulative = value.cumulative();
    out += `${name}_sum{${labels}} ${float(value.sum)}\n${name}_count{${labels}} ${value.count}\n`;
    value.bounds.forEach((bound, i) => (out += `${name}_bucket{le="${float(bound)}",${labels}} ${cumulative[i]}\n`));
    out += `${name}_bucket{le="+Inf",${labels}} ${value.count}\n`;
  }
  return out;
}
