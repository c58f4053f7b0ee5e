import type {Socket} from 'node:net';
import type {Endpoint} from '../../mesh/registry.js';
import {serviceAuthority, type RouteSpec, type ServiceSpec} from '../../topology.js';
import {outboundCluster} from './clusters-model.js';
import {plain, type StatName, type StatsStore} from './stats-store.js';

function clusterStat(cluster: string, stat: string, extraTags: Array<[string, string]> = [], extracted = stat): StatName {
  return {name: `cluster.${cluster}.${stat}`, extracted: `cluster.${extracted}`, tags: [...extraTags, ['cluster_name', cluster]]};
}

/** `upstream_rq_2xx` is tag-extracted by Istio's `response_code_class` rule; `upstream_rq_200` is not (its regex never matches). */
function codeStats(status: number, named: (stat: string, extraTags?: Array<[string, string]>, extracted?: string) => StatName): StatName[] {
  const cls = `${Math.floor(status / 100)}xx`;
  return [named(`upstream_rq_${cls}`, [['response_code_class', cls]], 'upstream_rq'), named(`upstream_rq_${status}`)];
}

export interface UpstreamOutcome {
  status: number;
  localReply: boolean;
  timeout: boolean;
  /** Upstream request start to last response byte, milliseconds. */
  upstreamMs: number | null;
}

/**
 * The native Envoy stats an Istio sidecar keeps by default (server, cluster_manager,
 * listener_manager, route stats under `vhost.*.route.*`) plus `cluster.outbound|…` stats, which
 * the demo's proxyStatsMatcher annotation includes.
 */
export class EnvoyStats {
  constructor(private readonly store: StatsStore) {}

  /** Process-level gauges, read live when rendered. */
  serverGauges(read: {uptimeSec: () => number; connections: () => number; certDays: (() => number) | null; clusters: () => number; listeners: () => number}): void {
    const s = this.store;
    s.gauge(plain('server.live'), () => 1);
    s.gauge(plain('server.state'), () => 0);
    s.gauge(plain('server.uptime'), read.uptimeSec);
    s.gauge(plain('server.concurrency'), () => 1);
    s.gauge(plain('server.total_connections'), read.connections);
    s.gauge(plain('server.hot_restart_epoch'), () => 0);
    if (read.certDays) s.gauge(plain('server.days_until_first_cert_expiring'), read.certDays);
    s.gauge(plain('cluster_manager.active_clusters'), read.clusters);
    s.gauge(plain('cluster_manager.warming_clusters'), () => 0);
    s.gauge(plain('listener_manager.total_listeners_active'), read.listeners);
    s.gauge(plain('listener_manager.total_listeners_warming'), () => 0);
  }

  countStartup(clusters: number, listeners: number): void {
    this.store.counter(plain('cluster_manager.cluster_added')).add(clusters);
    this.store.counter(plain('listener_manager.listener_added')).add(listeners);
  }

  /** Stats every outbound cluster has from the moment it exists. */
  declareCluster(service: ServiceSpec, membership: () => number, active: {connections: () => number; requests: () => number; rx: () => number; tx: () => number}): void {
    const cluster = outboundCluster(service);
    const s = this.store;
    for (const stat of ['upstream_rq_total', 'upstream_rq_completed', 'upstream_rq_timeout', 'upstream_cx_total', 'upstream_cx_connect_fail']) {
      s.counter(clusterStat(cluster, stat));
    }
    s.counter(clusterStat(cluster, 'upstream_cx_rx_bytes_total'), active.rx);
    s.counter(clusterStat(cluster, 'upstream_cx_tx_bytes_total'), active.tx);
    s.gauge(clusterStat(cluster, 'upstream_cx_active'), active.connections);
    s.gauge(clusterStat(cluster, 'upstream_rq_active'), active.requests);
    s.gauge(clusterStat(cluster, 'membership_healthy'), membership);
    s.gauge(clusterStat(cluster, 'membership_total'), membership);
    s.histogram(clusterStat(cluster, 'upstream_rq_time'));
  }

  upstreamConnection(endpoint: Endpoint, socket: Socket): void {
    const cluster = outboundCluster(endpoint.service);
    this.store.counter(clusterStat(cluster, 'upstream_cx_total')).add();
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') this.store.counter(clusterStat(cluster, 'upstream_cx_connect_fail')).add();
    });
  }

  /** One outbound request's effect on its cluster's and route's stats. */
  upstreamRequest(service: ServiceSpec, route: RouteSpec | null, outcome: UpstreamOutcome): void {
    const cluster = outboundCluster(service);
    const s = this.store;
    s.counter(clusterStat(cluster, 'upstream_rq_total')).add();
    if (outcome.timeout) s.counter(clusterStat(cluster, 'upstream_rq_timeout')).add();
    if (outcome.localReply || outcome.status === 0) return;
    s.counter(clusterStat(cluster, 'upstream_rq_completed')).add();
    for (const stat of codeStats(outcome.status, (name, tags, extracted) => clusterStat(cluster, name, tags, extracted))) s.counter(stat).add();
    if (outcome.upstreamMs !== null) s.histogram(clusterStat(cluster, 'upstream_rq_time')).record(Math.floor(outcome.upstreamMs));
    if (service.routePolicy !== 'httproute' || !route) return;
    // Route stats from a VirtualService statPrefix; Istio extracts no vhost tag, so the names stay in the family.
    const prefix = `vhost.${serviceAuthority(service)}.route.${route.name}`;
    const routeStat = (stat: string, tags: Array<[string, string]> = [], extracted = stat): StatName => ({
      name: `${prefix}.${stat}`,
      extracted: `${prefix}.${extracted}`,
      tags,
    });
    s.counter(routeStat('upstream_rq_total')).add();
    s.counter(routeStat('upstream_rq_completed')).add();
    for (const stat of codeStats(outcome.status, routeStat)) s.counter(stat).add();
    if (outcome.upstreamMs !== null) s.histogram(routeStat('upstream_rq_time')).record(Math.floor(outcome.upstreamMs));
  }
}
