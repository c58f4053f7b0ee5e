import {request as httpRequest, type Agent, type ClientRequest, type IncomingMessage} from 'node:http';
import {request as httpsRequest} from 'node:https';
import type {RequestGuard, Progress} from './guard.js';
import {classifyNodeError} from './node-errors.js';
import {transportError} from './errors.js';
import type {Result} from './types.js';

/** One HTTP request on the wire, up to its response headers. */
export interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface Exchange {
  req: ClientRequest;
  res: IncomingMessage;
}

export interface Agents {
  http: Agent;
  https: Agent;
}

/**
 * Send one hop and resolve when its response headers arrive, or with the reason it failed.
 * A GET that fails at once on a kept-alive socket (the proxy closed it while idle) is tried
 * once more on a fresh connection.
 */
export async function openExchange(
  hop: Hop,
  agents: Agents,
  guard: RequestGuard,
  progress: Progress,
  reportUrl: string,
): Promise<Result<Exchange>> {
  const first = await sendOnce(hop, agents, guard, progress, reportUrl);
  if (first.retry && !guard.signal.aborted) {
    const second = await sendOnce(hop, agents, guard, progress, reportUrl);
    return second.result;
  }
  return first.result;
}

interface Attempt {
  result: Result<Exchange>;
  /** True when the failure was a stale kept-alive socket and a fresh try is safe. */
  retry: boolean;
}

function sendOnce(hop: Hop, agents: Agents, guard: RequestGuard, progress: Progress, reportUrl: string): Promise<Attempt> {
  return new Promise((resolve) => {
    let settled = false;
    let detachStop = () => {};
    const settle = (result: Result<Exchange>, retry = false) => {
      if (settled) return;
      settled = true;
      detachStop();
      resolve({result, retry});
    };

    let req: ClientRequest;
    try {
      req = startRequest(hop, agents);
    } catch (error) {
      const {kind, message} = classifyNodeError(error);
      settle({ok: false, error: transportError(kind, message, reportUrl)});
      return;
    }
    const onStop = () => {
      settle({ok: false, error: guard.failure(progress, reportUrl)});
      req.destroy();
    };
    // Stays attached for the request's life: socket errors after the headers also land here.
    req.on('error', (error) => {
      const {kind, message} = classifyNodeError(error);
      const stale = req.reusedSocket && kind === 'reset' && hop.method === 'GET';
      settle({ok: false, error: transportError(kind, message, reportUrl)}, stale);
    });
    if (guard.signal.aborted) return onStop();
    guard.signal.addEventListener('abort', onStop, {once: true});
    detachStop = () => guard.signal.removeEventListener('abort', onStop);

    progress.phase = 'connecting';
    req.on('socket', (socket) => {
      if (!socket.connecting) progress.phase = 'waiting';
      else
        socket.once('connect', () => {
          if (progress.phase === 'connecting') progress.phase = 'waiting';
        });
    });
    req.on('response', (res) => {
      progress.phase = 'body';
      settle({ok: true, value: {req, res}});
    });
    req.end(hop.body);
  });
}

function startRequest(hop: Hop, agents: Agents): ClientRequest {
  const {url} = hop;
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') {
    throw Object.assign(new Error(`unsupported scheme "${url.protocol}" (use http:// or https://)`), {code: 'ERR_SCHEME'});
  }
  const headers = {...hop.headers};
  if (hop.body !== undefined) headers['content-length'] = String(hop.body.byteLength);
  const send = secure ? httpsRequest : httpRequest;
  return send({
    protocol: url.protocol,
    // URL keeps IPv6 literals in brackets; the socket wants the bare address.
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method: hop.method,
    headers,
    agent: secure ? agents.https : agents.http,
  });
}
