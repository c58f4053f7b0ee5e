import {Agent as HttpAgent} from 'node:http';
import {Agent as HttpsAgent, type AgentOptions} from 'node:https';
import {rootCertificates} from 'node:tls';
import {readCapped, streamBody} from './body.js';
import {failed, transportError} from './errors.js';
import {bodyExcerpt} from './format.js';
import {openResponse, type ClientContext, type OpenResponse} from './open.js';
import {Semaphore} from './semaphore.js';
import type {AdminClient, ClientSettings, HttpResponse, HttpStream, RequestOptions, Result, TlsMaterial} from './types.js';

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CONCURRENCY = 16;
/** How much of an error body a failed stream() reads for its message. */
const STREAM_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The admin HTTP client: node:http(s) with keep-alive agents (one per client, so repeated
 * scrapes of a proxy reuse its connection, while each host keeps its own sockets and a hung
 * one cannot hold up the others), one concurrency limit across all requests, and the limits
 * described in types.ts. Every method resolves; failures are values.
 */
export function createClient(settings: ClientSettings): AdminClient {
  const ctx: ClientContext = {
    agents: {
      http: new HttpAgent({keepAlive: true, scheduling: 'lifo'}),
      https: new HttpsAgent({keepAlive: true, scheduling: 'lifo', ...tlsAgentOptions(settings.tls)}),
    },
    permits: new Semaphore(Math.max(1, Math.floor(settings.concurrency ?? DEFAULT_CONCURRENCY))),
    timeoutMs: settings.timeoutMs,
    headers: settings.headers ?? {},
  };
  const defaultMaxBytes = settings.maxBytes ?? DEFAULT_MAX_BYTES;

  async function request(url: string, options: RequestOptions = {}): Promise<Result<HttpResponse>> {
    const opened = await openResponse(ctx, url, options);
    if (!opened.ok) return opened;
    return readWhole(opened.value, url, options.maxBytes ?? defaultMaxBytes);
  }

  async function getText(url: string, options: RequestOptions = {}): Promise<Result<HttpResponse>> {
    const result = await request(url, options);
    if (!result.ok || isSuccess(result.value.status)) return result;
    return {ok: false, error: statusError(result.value, url)};
  }

  async function getJson<T = unknown>(url: string, options: RequestOptions = {}): Promise<Result<T>> {
    const result = await getText(url, options);
    if (!result.ok) return result;
    return parseJson<T>(result.value.body, url);
  }

  async function stream(url: string, options: RequestOptions = {}): Promise<Result<HttpStream>> {
    const opened = await openResponse(ctx, url, options);
    if (!opened.ok) return opened;
    const open = opened.value;
    const status = open.res.statusCode ?? 0;
    if (!isSuccess(status)) {
      const whole = await readWhole(open, url, STREAM_ERROR_BODY_BYTES);
      if (!whole.ok && whole.error.kind !== 'too-large') return whole;
      const shown = whole.ok ? whole.value : {status, statusText: open.res.statusMessage, body: ''};
      return {ok: false, error: statusError(shown, url)};
    }
    // Only opening the stream counts against the concurrency limit and the time limits; a
    // long-lived body must not starve every other request of the client.
    open.release();
    open.guard.clearTimers();
    const body = streamBody(open, {guard: open.guard, progress: open.progress, url}, () => open.guard.dispose());
    if (!body.ok) return body;
    return {ok: true, value: {status, headers: open.res.headers, ...body.value}};
  }

  return {request, getText, getJson, stream};
}

async function readWhole(open: OpenResponse, url: string, maxBytes: number): Promise<Result<HttpResponse>> {
  try {
    const body = await readCapped(open, {maxBytes, guard: open.guard, progress: open.progress, url});
    if (!body.ok) return body;
    return {
      ok: true,
      value: {
        status: open.res.statusCode ?? 0,
        statusText: open.res.statusMessage,
        headers: open.res.headers,
        body: body.value.toString('utf8'),
        url: open.finalUrl.href,
      },
    };
  } finally {
    open.release();
    open.guard.dispose();
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** `HTTP 500: <start of the body>`, or `HTTP 404 Not Found` when the body is empty. */
function statusError(response: {status: number; statusText?: string; body: string}, url: string) {
  const excerpt = bodyExcerpt(response.body);
  const message = excerpt !== '' ? `HTTP ${response.status}: ${excerpt}` : `HTTP ${response.status} ${response.statusText ?? ''}`;
  return transportError('status', message, url, response.status);
}

function parseJson<T>(text: string, url: string): Result<T> {
  if (text.trim() === '') return failed('decode', 'empty body where JSON was expected', url);
  try {
    return {ok: true, value: JSON.parse(text) as T};
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed('decode', `invalid JSON (${reason.slice(0, 200)})`, url);
  }
}

/** Extra CAs are added to the system's, so public endpoints keep verifying as before. */
function tlsAgentOptions(tls: TlsMaterial | undefined): AgentOptions {
  if (!tls) return {};
  return {
    ...(tls.ca ? {ca: [...rootCertificates, tls.ca]} : {}),
    ...(tls.cert && tls.key ? {cert: tls.cert, key: tls.key} : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
}
