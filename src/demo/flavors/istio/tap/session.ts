import type {ServerResponse} from 'node:http';
import {send} from '../../../sidecar/admin-server.js';
import {parseTapRequest, TapConfigError, type TapSession} from './config.js';
import {matches} from './matcher.js';
import {formatTrace, type TappedExchange, type TapRecording} from './trace.js';

/** The config id the demo's tap filters register (as an EnvoyFilter would configure them). */
export const TAP_CONFIG_ID = 'meshctl';

/**
 * The admin side of Envoy's tap (source/extensions/common/tap/admin.cc): at most one attached
 * `/tap` stream per proxy; every tap filter registered under the config id feeds it.
 */
export class TapAdmin {
  private attached: {session: TapSession; res: ServerResponse; sent: number; timer: NodeJS.Timeout | null} | null = null;

  constructor(
    private readonly configIds: readonly string[] = [TAP_CONFIG_ID],
    /** The filter's `record_headers_received_time` (newer Envoy) and `record_downstream_connection`. */
    private readonly record: TapRecording = {headersReceivedTime: true, downstreamConnection: true},
  ) {}

  /** Body limits the proxy must capture for the attached session, or null when nothing is tapped. */
  get capture(): {request: number; response: number} | null {
    return this.attached ? {request: this.attached.session.maxRxBytes, response: this.attached.session.maxTxBytes} : null;
  }

  handle(res: ServerResponse, body: Buffer): void {
    if (this.attached) {
      send(res, 400, 'An attached /tap admin stream already exists. Detach it.');
      return;
    }
    if (body.length === 0) {
      send(res, 400, '/tap requires a JSON/YAML body');
      return;
    }
    let session: TapSession;
    try {
      session = parseTapRequest(body.toString('utf8'));
    } catch (error) {
      if (!(error instanceof TapConfigError)) throw error;
      send(res, 400, error.message);
      return;
    }
    if (!this.configIds.includes(session.configId)) {
      send(res, 400, `Unknown config id '${session.configId}'. No extension has registered with this id.`);
      return;
    }
    const attached = {session, res, sent: 0, timer: null as NodeJS.Timeout | null};
    this.attached = attached;
    res.writeHead(200, {'content-type': 'application/json'});
    res.flushHeaders();
    res.on('close', () => this.detach(attached));
    if (session.sink.kind === 'buffered_admin' && session.sink.timeoutMs !== null) {
      attached.timer = setTimeout(() => res.end(), session.sink.timeoutMs);
    }
  }

  /** Offer a finished exchange to the attached session (if any). */
  observe(exchange: TappedExchange): void {
    const attached = this.attached;
    if (!attached || !matches(attached.session.match, exchange.request, exchange.response)) return;
    const {session, res} = attached;
    // An exchange that began under an earlier session was captured with that session's limits.
    const clip = (body: Buffer | null, truncated: boolean, max: number): [Buffer | null, boolean] =>
      body && body.length > max ? [body.subarray(0, max), true] : [body, truncated];
    const [requestBody, requestTruncated] = clip(exchange.requestBody, exchange.requestTruncated, session.maxRxBytes);
    const [responseBody, responseTruncated] = clip(exchange.responseBody, exchange.responseTruncated, session.maxTxBytes);
    res.write(formatTrace({...exchange, requestBody, requestTruncated, responseBody, responseTruncated}, session.format, this.record));
    attached.sent++;
    if (session.sink.kind === 'buffered_admin' && attached.sent >= session.sink.maxTraces) res.end();
  }

  close(): void {
    this.attached?.res.destroy();
  }

  private detach(attached: NonNullable<TapAdmin['attached']>): void {
    if (attached.timer) clearTimeout(attached.timer);
    if (this.attached === attached) this.attached = null;
  }
}
