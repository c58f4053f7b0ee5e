import type {ParsedMetrics} from '../../metrics/types.js';
import type {Snapshot} from '../../model/snapshot.js';
import type {Target} from '../../model/target.js';
import type {AdminContext, Dialect, ProxyInfo} from '../types.js';
import {describeTransportError} from '../../transport/index.js';
import {prefixKeep} from '../types.js';
import {ownWorkload, urlPort} from '../own-workload.js';
import {linkerdAdminBase} from './admin-url.js';
import {identityFromEnv, traceConfigFromEnv} from './identity.js';
import {linkerdRoutes} from './routes.js';
import {linkerdTapUnsupported} from './tap-unsupported.js';
import {latencyHistograms, processStartTime, proxyVersion, responseCounters, tcpSeries} from './series.js';

const DEFAULT_ADMIN_PORT = '4191';

export const linkerd: Dialect = {
  name: 'linkerd',
  metricsPath: '/metrics',
  keep: prefixKeep([
    'request_total',
    'response_total',
    'response_latency_ms',
    'tcp_',
    'route_',
    'outbound_http_route',
    'outbound_grpc_route',
    'inbound_http_',
    'inbound_grpc_',
    'process_start_time_seconds',
    'proxy_build_info',
  ]),

  recognizes(metrics: ParsedMetrics): boolean {
    if (metrics.samples('proxy_build_info').length > 0) return true;
    const probe = [...metrics.samples('response_total'), ...metrics.samples('request_total'), ...metrics.samples('tcp_open_connections')];
    return probe.some((s) => s.labels.direction === 'inbound' || s.labels.direction === 'outbound');
  },

  async describe(target: Target, metrics: ParsedMetrics, ctx: AdminContext): Promise<ProxyInfo> {
    const base = linkerdAdminBase(target);
    const [env, ready] = await Promise.all([
      ctx.client.getJson<Record<string, unknown>>(`${base}/env.json`, {deadlineMs: ctx.deadlineMs, signal: ctx.signal}),
      ctx.checkReady ? ctx.client.request(`${base}/ready`, {deadlineMs: ctx.deadlineMs, signal: ctx.signal}) : null,
    ]);
    const notes: string[] = [];
    let identity: ProxyInfo['identity'];
    let traceCollector: ProxyInfo['traceCollector'];
    if (env.ok && typeof env.value === 'object' && env.value !== null && !Array.isArray(env.value)) {
      identity = identityFromEnv(env.value);
      traceCollector = {ok: true, value: traceConfigFromEnv(env.value)};
    } else {
      traceCollector = {
        ok: false,
        message: env.ok
          ? 'unexpected /env.json answer: not a JSON object'
          : env.error.status === 404
            ? 'no /env.json (proxy older than Linkerd 2.12): collector settings unknown'
            : `cannot read /env.json: ${describeTransportError(env.error)}`,
      };
      identity = {pod: null, workload: null, namespace: null, serviceAccount: null, source: 'target'};
      notes.push(
        env.ok || env.error.status === 404
          ? 'no /env.json (proxy older than Linkerd 2.12): identity from the target name'
          : `identity unavailable (${env.error.message}): identity from the target name`,
      );
    }
    return {
      identity,
      version: proxyVersion(metrics),
      ready: ready?.ok ? ready.value.status === 200 : null,
      notes,
      traceCollector,
    };
  },

  toSnapshot(metrics: ParsedMetrics, target: Target, info: ProxyInfo, scrapedAtMs: number): Snapshot {
    const ctx = {
      self: ownWorkload(info.identity, target),
      adminPorts: new Set([urlPort(target.url), DEFAULT_ADMIN_PORT]),
    };
    return {
      target,
      dialect: 'linkerd',
      version: info.version,
      identity: info.identity,
      scrapedAtMs,
      startTimeSec: processStartTime(metrics),
      http: responseCounters(metrics, ctx),
      latency: latencyHistograms(metrics, ctx),
      tcp: tcpSeries(metrics, ctx),
      routes: linkerdRoutes(metrics, ctx.self),
    };
  },

  async tap({target}) {
    return {ok: false, error: linkerdTapUnsupported(target.name)};
  },
};
