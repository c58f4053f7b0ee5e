import type {ParsedMetrics} from '../../metrics/types.js';
import type {Snapshot} from '../../model/snapshot.js';
import type {Target} from '../../model/target.js';
import type {ProxyIdentity} from '../../model/workload.js';
import {ownWorkload} from '../own-workload.js';
import type {AdminContext, Dialect, ProxyInfo} from '../types.js';
import {prefixKeep} from '../types.js';
import {envoyAdminBase} from './admin-url.js';
import {identityFromSeries, identityFromServerInfo, shortEnvoyVersion, type ServerInfo} from './identity.js';
import {hasIstioMetrics, istioCounters, istioLatencies, istioTcp} from './istio.js';
import {envoyCounters, envoyLatencies, envoyTcp} from './plain.js';
import {envoyRoutes} from './routes.js';
import {openEnvoyTap} from './tap.js';

export const envoy: Dialect = {
  name: 'envoy',
  metricsPath: '/stats/prometheus',
  keep: prefixKeep([
    'istio_requests_total',
    'istio_request_duration_milliseconds',
    'istio_tcp_',
    'istio_build',
    'envoy_http_downstream_rq',
    'envoy_http_downstream_cx_',
    'envoy_cluster_upstream_rq',
    'envoy_cluster_upstream_cx_',
    'envoy_vhost_',
    'envoy_server_uptime',
    'envoy_server_live',
    'envoy_server_version',
  ]),

  recognizes(metrics: ParsedMetrics): boolean {
    return (
      hasIstioMetrics(metrics) ||
      metrics.samples('envoy_server_uptime').length > 0 ||
      metrics.samples('envoy_http_downstream_rq_xx').length > 0 ||
      metrics.samples('envoy_cluster_upstream_rq_xx').length > 0 ||
      metrics.samples('envoy_cluster_upstream_rq').length > 0
    );
  },

  async describe(target: Target, metrics: ParsedMetrics, ctx: AdminContext): Promise<ProxyInfo> {
    const admin = envoyAdminBase(target);
    const notes: string[] = [];
    let info: ServerInfo | null = null;
    let ready: boolean | null = null;
    if (admin) {
      const [serverInfo, readyResponse] = await Promise.all([
        ctx.client.getJson<ServerInfo>(`${admin}/server_info`, {deadlineMs: ctx.deadlineMs, signal: ctx.signal}),
        ctx.checkReady ? ctx.client.request(`${admin}/ready`, {deadlineMs: ctx.deadlineMs, signal: ctx.signal}) : null,
      ]);
      if (serverInfo.ok && typeof serverInfo.value === 'object' && serverInfo.value !== null) info = serverInfo.value;
      else if (!serverInfo.ok) notes.push(`admin /server_info unavailable (${serverInfo.error.message})`);
      if (readyResponse?.ok) ready = readyResponse.value.status === 200;
    } else {
      notes.push('no admin URL (metrics-only port): identity from the series; set `admin:` in the context for more');
    }
    let identity: ProxyIdentity = info
      ? identityFromServerInfo(info)
      : identityFromSeries(metrics) ?? {pod: null, workload: null, namespace: null, serviceAccount: null, source: 'target'};
    if (info && identity.workload === null) {
      const fromSeries = identityFromSeries(metrics);
      if (fromSeries) identity = {...identity, workload: fromSeries.workload, namespace: identity.namespace ?? fromSeries.namespace};
    }
    const istioBuild = metrics.samples('istio_build').find((s) => s.labels.component === 'proxy');
    return {
      identity,
      version: info?.version ? shortEnvoyVersion(info.version) : istioBuild?.labels.tag ?? null,
      ready,
      notes,
    };
  },

  toSnapshot(metrics: ParsedMetrics, target: Target, info: ProxyInfo, scrapedAtMs: number): Snapshot {
    const self = ownWorkload(info.identity, target);
    const istio = hasIstioMetrics(metrics);
    return {
      target,
      dialect: 'envoy',
      version: info.version,
      identity: info.identity,
      scrapedAtMs,
      startTimeSec: startTime(metrics, scrapedAtMs),
      http: istio ? istioCounters(metrics) : envoyCounters(metrics, self),
      latency: istio ? istioLatencies(metrics) : envoyLatencies(metrics, self),
      tcp: istio ? istioTcp(metrics) : envoyTcp(metrics, self),
      routes: envoyRoutes(metrics, self),
    };
  },

  tap: openEnvoyTap,
};

/** Envoy reports uptime, not a start time; the gauge moves at stats-flush time (~5 s). */
function startTime(metrics: ParsedMetrics, scrapedAtMs: number): number | null {
  const uptime = metrics.samples('envoy_server_uptime')[0];
  if (!uptime || !Number.isFinite(uptime.value)) return null;
  return scrapedAtMs / 1000 - uptime.value;
}

