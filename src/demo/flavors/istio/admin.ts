import type {IncomingMessage, ServerResponse} from 'node:http';
import {send, sendMaybeGzip} from '../../sidecar/admin-server.js';
import {renderClustersJson, renderClustersText} from './clusters.js';
import type {ClusterModel} from './clusters-model.js';
import {answerConfigDump, type ConfigDump} from './config-dump-query.js';
import type {LoggerLevels} from './logging.js';
import {RUNTIME_USAGE, type LayeredRuntime} from './runtime.js';
import {renderPrometheus, renderStatsJson, renderStatsText, type StatsQuery} from './stats-render.js';
import type {StatsStore} from './stats-store.js';
import type {TapAdmin} from './tap/session.js';

export interface EnvoyAdminState {
  store: StatsStore;
  runtime: LayeredRuntime;
  loggers: LoggerLevels;
  tap: TapAdmin;
  clusters(): ClusterModel[];
  serverInfo(): string;
  configDump(): ConfigDump;
}

interface Handler {
  help: string;
  /** Envoy refuses anything but POST on handlers that change state. */
  mutates: boolean;
  run: (state: EnvoyAdminState, req: IncomingMessage, res: ServerResponse, params: URLSearchParams, body: Buffer) => void;
}

const HANDLERS: Record<string, Handler> = {
  '/clusters': {help: 'upstream cluster status', mutates: false, run: (s, _q, res, p) => (p.get('format') === 'json' ? send(res, 200, renderClustersJson(s.clusters()), 'application/json') : send(res, 200, renderClustersText(s.clusters())))},
  '/config_dump': {help: 'dump current Envoy configs (experimental)', mutates: false, run: (s, _q, res, p) => sendAnswer(res, answerConfigDump(s.configDump(), p))},
  '/logging': {help: 'query/change logging levels', mutates: true, run: (s, _q, res, p) => send(res, ...s.loggers.handle(p))},
  '/ready': {help: 'print server state, return 200 if LIVE, otherwise return 503', mutates: false, run: (_s, _q, res) => send(res, 200, 'LIVE\n')},
  '/runtime': {help: 'print runtime values', mutates: false, run: (s, _q, res) => send(res, 200, s.runtime.toJson(), 'application/json')},
  '/runtime_modify': {help: 'Adds or modifies runtime values as passed in query parameters. To delete a previously added key, use an empty string as the value. Note that deletion only applies to overrides added via this endpoint; values loaded from disk can be modified via override but not deleted. E.g. ?key1=value1&key2=value2...', mutates: true, run: runtimeModify},
  '/server_info': {help: 'print server version/status information', mutates: false, run: (s, _q, res) => send(res, 200, s.serverInfo(), 'application/json')},
  '/stats': {help: 'print server stats', mutates: false, run: stats},
  '/stats/prometheus': {help: 'print server stats in prometheus format', mutates: false, run: (s, req, res, p) => prometheus(s, req, res, p)},
  '/tap': {help: 'tap filter control', mutates: true, run: (s, _q, res, _p, body) => s.tap.handle(res, body)},
};

/** Envoy's admin API, the part an Istio sidecar's `:15000` serves that meshctl and users touch. */
export function envoyAdmin(state: EnvoyAdminState, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://admin');
  const handler = HANDLERS[url.pathname];
  if (!handler) {
    send(res, 404, `invalid path. admin commands are:\n${Object.entries(HANDLERS).map(([path, h]) => `  ${path}: ${h.help}\n`).join('')}`);
    return;
  }
  if (handler.mutates && req.method !== 'POST') {
    send(res, 405, `Method ${req.method} not allowed, POST required.`);
    return;
  }
  handler.run(state, req, res, paramsOf(req, url, body), body);
}

/** Query parameters, plus form values when the body is url-encoded (Envoy reads both). */
function paramsOf(req: IncomingMessage, url: URL, body: Buffer): URLSearchParams {
  const params = new URLSearchParams(url.search);
  if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

function sendAnswer(res: ServerResponse, answer: {status: number; body: string; contentType: string}): void {
  send(res, answer.status, answer.body, answer.contentType);
}

function runtimeModify(state: EnvoyAdminState, _req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
  const pairs = [...params.entries()];
  if (pairs.length === 0) {
    send(res, 400, RUNTIME_USAGE);
    return;
  }
  // The first value of a repeated key wins, as in Envoy.
  const first = new Map<string, string>();
  for (const [k, v] of pairs) if (!first.has(k)) first.set(k, v);
  state.runtime.merge([...first.entries()]);
  send(res, 200, 'OK\n');
}

function statsQuery(params: URLSearchParams): StatsQuery | string {
  const type = params.get('type') ?? 'All';
  if (!['All', 'Counters', 'Gauges', 'Histograms', 'TextReadouts'].includes(type)) return 'invalid &type= param';
  let filter: RegExp | null = null;
  const pattern = params.get('filter');
  if (pattern) {
    try {
      filter = new RegExp(pattern);
    } catch {
      return 'Invalid re2 regex';
    }
  }
  return {usedOnly: params.has('usedonly'), filter, type: type as StatsQuery['type']};
}

function stats(state: EnvoyAdminState, req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
  const format = params.get('format') ?? 'text';
  if (format === 'prometheus') {
    prometheus(state, req, res, params);
    return;
  }
  const query = statsQuery(params);
  if (typeof query === 'string') {
    send(res, 400, query);
    return;
  }
  if (format === 'json') send(res, 200, renderStatsJson(state.store, query, params.has('pretty')), 'application/json');
  else if (format === 'text') send(res, 200, renderStatsText(state.store, query));
  else send(res, 400, `usage: /stats?format=(html|active-html|json|prometheus|text)\n`);
}

function prometheus(state: EnvoyAdminState, req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
  const query = statsQuery(params);
  if (typeof query === 'string') {
    send(res, 400, query);
    return;
  }
  sendMaybeGzip(req, res, renderPrometheus(state.store, query), 'text/plain; version=0.0.4');
}

/** The `:15090` analogue: an Envoy listener that routes only `/stats/prometheus` to the admin. */
export function statsListener(state: EnvoyAdminState, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://stats');
  if (!url.pathname.startsWith('/stats/prometheus')) {
    send(res, 404, '');
    return;
  }
  prometheus(state, req, res, url.searchParams);
}
