import type {Socket} from 'node:net';
import {SocketTally} from '../../metrics/socket-tally.js';
import {serviceHost, type ServiceSpec} from '../../topology.js';

/** Istio's cluster names: `outbound|7002||books.booksapp.svc.cluster.local`, `inbound|7002||`. */
export function outboundCluster(service: ServiceSpec): string {
  return `outbound|${service.port}||${serviceHost(service)}`;
}

export function inboundCluster(service: ServiceSpec): string {
  return `inbound|${service.port}||`;
}

/** Per-host counters as `/clusters` lists them (not subject to the stats matcher). */
export class HostStats {
  private readonly sockets = new SocketTally();
  cxConnectFail = 0;
  rqActive = 0;
  rqError = 0;
  rqSuccess = 0;
  rqTimeout = 0;
  rqTotal = 0;

  connection(socket: Socket): void {
    this.sockets.track(socket);
  }

  get cxTotal(): number {
    return this.sockets.opened;
  }

  get cxActive(): number {
    return this.sockets.open;
  }

  /** Bytes received from / sent to this host so far, open connections included. */
  get rxBytes(): number {
    return this.sockets.readBytes;
  }

  get txBytes(): number {
    return this.sockets.writeBytes;
  }

  /** The counters in the order Envoy prints them. */
  entries(): Array<[string, number, 'counter' | 'gauge']> {
    return [
      ['cx_active', this.cxActive, 'gauge'],
      ['cx_connect_fail', this.cxConnectFail, 'counter'],
      ['cx_total', this.cxTotal, 'counter'],
      ['rq_active', this.rqActive, 'gauge'],
      ['rq_error', this.rqError, 'counter'],
      ['rq_success', this.rqSuccess, 'counter'],
      ['rq_timeout', this.rqTimeout, 'counter'],
      ['rq_total', this.rqTotal, 'counter'],
    ];
  }
}

export interface ClusterHost {
  address: string;
  port: number;
  stats: HostStats;
}

export interface ClusterModel {
  name: string;
  /** Istio's `filter_metadata.istio.services` host, when the cluster fronts a service. */
  serviceHost: string | null;
  hosts: ClusterHost[];
}

/** The clusters one sidecar has, with their hosts' live counters. */
export class ClusterTable {
  private readonly clusters = new Map<string, ClusterModel>();

  ensure(name: string, serviceHostName: string | null): ClusterModel {
    let cluster = this.clusters.get(name);
    if (!cluster) this.clusters.set(name, (cluster = {name, serviceHost: serviceHostName, hosts: []}));
    return cluster;
  }

  host(clusterName: string, address: string, port: number): HostStats {
    const cluster = this.ensure(clusterName, null);
    let host = cluster.hosts.find((h) => h.address === address && h.port === port);
    if (!host) cluster.hosts.push((host = {address, port, stats: new HostStats()}));
    return host.stats;
  }

  all(): ClusterModel[] {
    return [...this.clusters.values()];
  }
}
