import {formatLabels, joinLabels, SeriesMap} from '../../metrics/series.js';
import {SocketTally} from '../../metrics/socket-tally.js';
import type {ConnectionInfo} from '../../sidecar/plugin.js';
import {clientTlsLabels, destinationLabels, LOOPBACK_TLS, serverPolicyLabels, serverTlsLabels, targetLabels} from './labels.js';

/** `tcp_*` metrics: every connection the proxy accepted or opened, keyed as transport/labels.rs keys them. */
export class TransportMetrics {
  private readonly series = new SeriesMap(() => new SocketTally());

  constructor(private readonly meshTls: boolean) {}

  track(info: ConnectionInfo): void {
    this.series.get(this.labels(info)).track(info.socket);
  }

  private labels(info: ConnectionInfo): string {
    const head = formatLabels([['direction', info.direction], ['peer', info.peer]]);
    if (info.peer === 'src') {
      if (info.direction === 'outbound') return joinLabels(head, targetLabels(info.target), LOOPBACK_TLS);
      return joinLabels(head, targetLabels(info.target), serverTlsLabels(info.remote, this.meshTls), serverPolicyLabels(info.target.port));
    }
    if (info.direction === 'inbound' || !info.endpoint) return joinLabels(head, LOOPBACK_TLS);
    return joinLabels(head, targetLabels(info.target), clientTlsLabels(info.remote, this.meshTls), destinationLabels(info.endpoint.pod, info.endpoint.service));
  }

  render(): string {
    if (this.series.size === 0) return '';
    const rows = [...this.series.entries()];
    const family = (name: string, help: string, type: string, value: (s: SocketTally) => number, extra = '') =>
      `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n` +
      rows.map(({labels, value: s}) => `${name}{${joinLabels(labels, extra)}} ${value(s)}\n`).join('');
    return (
      family('tcp_open_total', 'Total count of opened connections', 'counter', (s) => s.opened) +
      family('tcp_open_connections', 'Number of currently-open connections', 'gauge', (s) => s.open) +
      family('tcp_read_bytes_total', 'Total count of bytes read from peers', 'counter', (s) => s.readBytes) +
      family('tcp_write_bytes_total', 'Total count of bytes written to peers', 'counter', (s) => s.writeBytes) +
      `# HELP tcp_close_total Total count of closed connections\n# TYPE tcp_close_total counter\n` +
      rows.filter(({value: s}) => s.closed > 0).map(({labels, value: s}) => `tcp_close_total{${joinLabels(labels, 'errno=""')}} ${s.closed}\n`).join('')
    );
  }
}
