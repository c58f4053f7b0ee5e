import type {Socket} from 'node:net';
import {formatLabels, joinLabels, SeriesMap} from '../../metrics/series.js';
import type {ConnectionInfo} from '../../sidecar/plugin.js';
import {clientTlsLabels, destinationLabels, LOOPBACK_TLS, serverPolicyLabels, serverTlsLabels, targetLabels} from './labels.js';

/** Counters for one transport label set. Bytes of open connections are read live from the socket. */
class ConnectionStats {
  opened = 0;
  closed = 0;
  private readonly live = new Set<Socket>();
  private closedRead = 0;
  private closedWritten = 0;

  track(socket: Socket): void {
    this.opened++;
    this.live.add(socket);
    socket.once('close', () => {
      this.live.delete(socket);
      this.closed++;
      this.closedRead += socket.bytesRead;
      this.closedWritten += socket.bytesWritten;
    });
  }

  get open(): number {
    return this.live.size;
  }

  get readBytes(): number {
    let total = this.closedRead;
    for (const socket of this.live) total += socket.bytesRead;
    return total;
  }

  get writeBytes(): number {
    let total = this.closedWritten;
    for (const socket of this.live) total += socket.bytesWritten;
    return total;
  }
}

/** `tcp_*` metrics: every connection the proxy accepted or opened, keyed as transport/labels.rs keys them. */
export class TransportMetrics {
  private readonly series = new SeriesMap(() => new ConnectionStats());

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
    const family = (name: string, help: string, type: string, value: (s: ConnectionStats) => number, extra = '') =>
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
