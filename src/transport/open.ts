import type {IncomingMessage} from 'node:http';
import {failed} from './errors.js';
import {openExchange, type Agents, type Exchange, type Hop} from './exchange.js';
import {newProgress, RequestGuard, type Progress} from './guard.js';
import {decideRedirect, isRedirect} from './redirect.js';
import type {Release, Semaphore} from './semaphore.js';
import type {RequestOptions, Result} from './types.js';

/** What every request of one client shares. */
export interface ClientContext {
  agents: Agents;
  permits: Semaphore;
  timeoutMs: number;
  headers: Record<string, string>;
}

/** A response whose headers have arrived, with everything needed to read or drop its body. */
export interface OpenResponse extends Exchange {
  finalUrl: URL;
  guard: RequestGuard;
  progress: Progress;
  /** Give the concurrency permit back (idempotent). */
  release: Release;
}

/**
 * Wait for a permit, then send the request and follow same-host redirects until a response
 * that is not a redirect arrives. The guard (deadline, timeout, caller's signal) spans all of
 * it. On failure everything is already cleaned up; on success the caller owns the body and
 * must call `release()` and `guard.dispose()` when done with it.
 */
export async function openResponse(ctx: ClientContext, url: string, options: RequestOptions): Promise<Result<OpenResponse>> {
  const guard = new RequestGuard({
    timeoutMs: options.timeoutMs ?? ctx.timeoutMs,
    deadlineMs: options.deadlineMs,
    signal: options.signal,
  });
  const progress = newProgress();
  let first: URL;
  try {
    first = new URL(url);
  } catch {
    guard.dispose();
    return failed('other', `invalid URL "${url}"`, url);
  }

  const release = await ctx.permits.acquire(guard.signal);
  if (release === null) {
    const error = guard.failure(progress, url);
    guard.dispose();
    return {ok: false, error};
  }
  guard.startTimeout();
  const result = await followRedirects(ctx, firstHop(ctx, first, options), guard, progress, url);
  if (!result.ok) {
    release();
    guard.dispose();
    return result;
  }
  return {ok: true, value: {...result.value, guard, progress, release}};
}

function firstHop(ctx: ClientContext, url: URL, options: RequestOptions): Hop {
  const headers: Record<string, string> = {'accept-encoding': 'gzip', 'user-agent': 'meshctl'};
  for (const extra of [ctx.headers, options.headers ?? {}]) {
    for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  }
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  return {url, method: options.method ?? 'GET', headers, body};
}

async function followRedirects(
  ctx: ClientContext,
  start: Hop,
  guard: RequestGuard,
  progress: Progress,
  reportUrl: string,
): Promise<Result<Exchange & {finalUrl: URL}>> {
  const visited: URL[] = [start.url];
  let hop = start;
  for (;;) {
    const opened = await openExchange(hop, ctx.agents, guard, progress, reportUrl);
    if (!opened.ok) return opened;
    const {res} = opened.value;
    const location = res.headers.location;
    if (!isRedirect(res.statusCode ?? 0, location)) return {ok: true, value: {...opened.value, finalUrl: hop.url}};

    discardBody(opened.value);
    const decision = decideRedirect(location, visited);
    if (!decision.follow) return failed('redirect', decision.message, reportUrl, res.statusCode);
    visited.push(decision.url);
    hop = nextHop(hop, decision.url, res);
    progress.phase = 'queued';
    progress.wireBytes = 0;
  }
}

/** 307/308 repeat the request as it was; the others turn it into a plain GET. */
function nextHop(previous: Hop, url: URL, res: IncomingMessage): Hop {
  if (res.statusCode === 307 || res.statusCode === 308) return {...previous, url};
  const headers = {...previous.headers};
  delete headers['content-type'];
  return {url, method: 'GET', headers};
}

const SMALL_BODY = 64 * 1024;

/** A short redirect body is drained so the connection can be reused; anything else is cut. */
function discardBody({req, res}: Exchange): void {
  const length = Number(res.headers['content-length'] ?? NaN);
  if (length <= SMALL_BODY) {
    res.on('error', () => {});
    res.resume();
  } else req.destroy();
}
