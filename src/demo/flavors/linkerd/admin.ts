import type {IncomingMessage, ServerResponse} from 'node:http';
import {fromLocalhost, send, sendMaybeGzip} from '../../sidecar/admin-server.js';
import {validLogFilter} from './env.js';

export interface LinkerdAdminState {
  metrics(): string;
  env(): Record<string, string>;
  logLevel: string;
}

/** The paths kubelet probes (the policy controller gives them a `probe` route). */
export const PROBE_PATHS = ['/live', '/ready'];

/**
 * linkerd2-proxy's admin server routes (linkerd/app/admin/src/server.rs): `/metrics`, `/ready`,
 * `/live`, `/env.json`, `/proxy-log-level` (localhost only), `/shutdown` (disabled by default).
 */
export function linkerdAdmin(state: LinkerdAdminState, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://admin');
  switch (url.pathname) {
    case '/metrics':
      sendMaybeGzip(req, res, state.metrics(), 'text/plain');
      return;
    case '/ready':
      send(res, 200, 'ready\n');
      return;
    case '/live':
      send(res, 200, 'live\n');
      return;
    case '/env.json':
      envJson(state, req, res, url);
      return;
    case '/proxy-log-level':
      logLevel(state, req, res, body);
      return;
    case '/shutdown':
      if (!fromLocalhost(req)) send(res, 403, 'Requests are only permitted from localhost.');
      else if (req.method !== 'POST') send(res, 405, '', 'text/plain', {allow: 'POST'});
      else send(res, 404, 'shutdown endpoint is not enabled\n');
      return;
    default:
      send(res, 404, '');
  }
}

function envJson(state: LinkerdAdminState, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (req.method !== 'GET') {
    send(res, 405, '', 'text/plain', {allow: 'GET'});
    return;
  }
  const accept = String(req.headers.accept ?? '*/*');
  if (!/(^|,)\s*(application\/json|application\/\*|\*\/\*)/.test(accept)) {
    send(res, 406, '');
    return;
  }
  const env = state.env();
  const query = url.search.slice(1);
  if (query === '') {
    send(res, 200, JSON.stringify(env), 'application/json');
    return;
  }
  if (query.includes('=')) {
    send(res, 400, JSON.stringify({error: 'env.json query parameters may not contain key-value pairs'}), 'application/json');
    return;
  }
  const picked: Record<string, string | null> = {};
  for (const name of query.split('&').filter((n) => n !== '')) picked[decodeURIComponent(name)] = env[decodeURIComponent(name)] ?? null;
  send(res, 200, JSON.stringify(picked), 'application/json');
}

function logLevel(state: LinkerdAdminState, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (!fromLocalhost(req)) {
    send(res, 403, 'Requests are only permitted from localhost.');
    return;
  }
  if (req.method === 'GET') {
    send(res, 200, state.logLevel);
    return;
  }
  if (req.method === 'PUT') {
    const filter = body.toString('utf8').trim();
    if (!validLogFilter(filter)) {
      send(res, 400, `invalid log level: ${filter}`);
      return;
    }
    state.logLevel = filter;
    res.writeHead(204).end();
    return;
  }
  res.writeHead(405, {allow: 'GET, PUT'}).end();
}
