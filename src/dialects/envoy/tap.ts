import {UserError} from '../../errors.js';
import type {TrafficEvent} from '../../model/traffic.js';
import {describeTransportError} from '../../transport/index.js';
import type {HttpStream, TransportError} from '../../transport/types.js';
import {ownWorkload} from '../own-workload.js';
import type {OpenTap, TapOpenResult, TapRequestContext} from '../types.js';
import {envoyAdminBase} from './admin-url.js';
import {TapDecoder, type DecodeResult} from './tap-decoder.js';
import {orientEvent, type OwnProxy} from './tap-direction.js';
import {explainTapRefusal} from './tap-errors.js';
import {buildTapRequest, type HeaderMatcherStyle} from './tap-request.js';

/** How often traces streamed in segments are checked for completion while the stream is open. */
const SWEEP_MS = 250;

/**
 * Envoy's admin `/tap`: POST a tap config for the filter's `config_id` and read the
 * buffered traces Envoy streams back until the connection closes. This is the one POST a
 * read command sends; it arms the tap only for the lifetime of the stream and changes no
 * configuration. An Envoy that does not know `string_match` is asked again with legacy
 * header matchers; every other refusal is explained (tap-errors.ts).
 */
export async function openEnvoyTap(request: TapRequestContext): Promise<TapOpenResult> {
  const {target, configId} = request;
  const admin = envoyAdminBase(target);
  if (admin === null) {
    return {
      ok: false,
      error: new UserError(`${target.name}: tap needs the Envoy admin port, and this target is a metrics-only port`, {
        hint: 'set `admin:` for this proxy in the contexts file (Istio: the admin API listens on :15000)',
      }),
    };
  }
  for (const style of ['string-match', 'legacy'] as HeaderMatcherStyle[]) {
    const body = JSON.stringify(buildTapRequest(request.filter, {configId, style}));
    const opened = await request.client.stream(`${admin}/tap`, {
      method: 'POST',
      body,
      headers: {'content-type': 'application/json'},
      signal: request.signal,
    });
    if (opened.ok) return {ok: true, stream: pump(opened.value, request)};
    if (opened.error.kind !== 'status' || opened.error.status === undefined) {
      return {ok: false, error: new UserError(`${target.name}: could not open the tap stream (${describeTransportError(opened.error)})`)};
    }
    const refusal = explainTapRefusal(target.name, opened.error.status, refusalBody(opened.error), configId);
    if (!refusal.retryLegacy || style === 'legacy') return {ok: false, error: refusal.error};
  }
  throw new Error('unreachable: the legacy attempt always returns');
}

/** A `status` error's message is `HTTP 400: <start of the body>`; the refusal reads the body. */
function refusalBody(error: TransportError): string {
  return error.message.replace(/^HTTP \d+:?\s*/, '');
}

function pump(stream: HttpStream, request: TapRequestContext): OpenTap {
  const {target, info} = request;
  const self: OwnProxy = {workload: ownWorkload(info.identity, target), pod: info.identity.pod, namespace: info.identity.namespace};
  const decoder = new TapDecoder({proxy: target.name, proxyIndex: request.proxyIndex, direction: null});
  const deliver = (result: DecodeResult) => {
    if (result.events.length > 0) request.onEvents(result.events.map((event: TrafficEvent) => orientEvent(event, self)));
    for (const warning of result.warnings) request.onWarning(`${target.name}: ${warning}`);
  };
  let closed = false;
  const sweeper = setInterval(() => deliver(decoder.sweep()), SWEEP_MS);
  sweeper.unref();
  const ended = (async () => {
    try {
      for await (const chunk of stream.body) deliver(decoder.push(chunk));
    } finally {
      clearInterval(sweeper);
    }
    // Closing cuts the stream wherever it is; a half-read trace then is no news.
    if (closed || request.signal.aborted) return null;
    deliver(decoder.end());
    const error = stream.endError?.() ?? null;
    return error ? `the tap stream broke (${describeTransportError(error)})` : 'the proxy ended the tap stream';
  })();
  return {
    ended,
    close() {
      closed = true;
      stream.close();
    },
  };
}
