import type {HttpMetrics} from './http.js';
import type {RouteMetrics} from './routes.js';
import type {TransportMetrics} from './transport.js';

export interface MetricsSources {
  http: HttpMetrics;
  transport: TransportMetrics;
  routes: RouteMetrics;
  /** Expiry of the proxy's identity certificate; null when identity is disabled. */
  certExpiry: Date | null;
  processStartEpochSec: number;
  version: string;
}

/**
 * The whole `/metrics` body in linkerd2-proxy's layout: the legacy hand-written families
 * first (0.0.4 text), then the prometheus-client registry (OpenMetrics style) ending in `# EOF`.
 */
export function renderMetrics(s: MetricsSources): string {
  let out = s.http.renderAuthz();
  if (s.certExpiry) {
    out +=
      "# HELP identity_cert_expiration_timestamp_seconds Time when the this proxy's current mTLS identity certificate will expire (in seconds since the UNIX epoch).\n" +
      '# TYPE identity_cert_expiration_timestamp_seconds gauge\n' +
      `identity_cert_expiration_timestamp_seconds ${Math.floor(s.certExpiry.getTime() / 1000)}\n` +
      "# HELP identity_cert_refresh_count The total number of times this proxy's mTLS identity certificate has been refreshed by the Identity service.\n" +
      '# TYPE identity_cert_refresh_count counter\n' +
      'identity_cert_refresh_count 1\n';
  }
  out += s.http.renderRequests();
  out += s.transport.render();
  out +=
    '# HELP process_start_time_seconds Time that the process started (in seconds since the UNIX epoch)\n' +
    '# TYPE process_start_time_seconds gauge\n' +
    `process_start_time_seconds ${s.processStartEpochSec}\n`;
  out += s.routes.render();
  out +=
    '# HELP proxy_build_info Proxy build info.\n# TYPE proxy_build_info gauge\n' +
    `proxy_build_info{date="",git_sha="",profile="release",vendor="meshctl-demo",version="${s.version}"} 1\n`;
  return `${out}# EOF\n`;
}
