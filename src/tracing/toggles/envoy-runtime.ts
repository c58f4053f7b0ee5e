import {describeTransportError} from '../../transport/index.js';
import type {AdminClient, TransportError} from '../../transport/types.js';
import {oneLine} from '../../transport/format.js';
import {modifyQuery, type Change} from './plan.js';
import {parseRuntimeDump, type Parsed, type RuntimeDump} from './runtime.js';

export interface Deadline {
  deadlineMs?: number;
  signal?: AbortSignal;
}

/** Said when a target has no Envoy admin URL, only a metrics port. */
export const NO_ADMIN_URL =
  'no admin URL: this target is a metrics-only port (:15090/:15020); set `admin:` for it in the context, ' +
  'or port-forward to the admin port (kubectl port-forward pod/NAME 15000) and pass -p 127.0.0.1:15000';

/** `GET /runtime`, validated. */
export async function readRuntime(client: AdminClient, admin: string, limits: Deadline): Promise<Parsed<RuntimeDump>> {
  const response = await client.getJson(`${admin}/runtime`, limits);
  if (!response.ok) return {ok: false, message: explainRead(response.error)};
  return parseRuntimeDump(response.value);
}

/** `POST /runtime_modify?key=value&…`; success is Envoy's 200 `OK`. */
export async function modifyRuntime(client: AdminClient, admin: string, changes: readonly Change[], limits: Deadline): Promise<Parsed<null>> {
  const response = await client.request(`${admin}/runtime_modify?${modifyQuery(changes)}`, {...limits, method: 'POST'});
  if (!response.ok) return {ok: false, message: `write not confirmed: ${describeTransportError(response.error)}`};
  const {status, body} = response.value;
  if (status === 200) return {ok: true, value: null};
  return {ok: false, message: explainRefusal(status, body)};
}

function explainRead(error: TransportError): string {
  if (error.status === 404) return 'no /runtime here (not an Envoy admin port?); point the target, or its `admin:` URL, at the admin port (:15000 on Istio)';
  return `cannot read /runtime: ${describeTransportError(error)}`;
}

/** Envoy's refusals, in words that say what to do. */
export function explainRefusal(status: number, body: string): string {
  const text = oneLine(body).slice(0, 200);
  if (status === 503 && /no admin layer/i.test(body)) {
    return 'the bootstrap has no admin runtime layer, so /runtime_modify can change nothing (add a layer with `admin_layer: {}` to layered_runtime)';
  }
  if ((status === 400 || status === 405) && /POST required/i.test(body)) {
    return `refused as not a POST (HTTP ${status}: ${text}); a redirect on the way turns a POST into a GET: point the target straight at the admin port`;
  }
  return `/runtime_modify answered HTTP ${status}${text ? `: ${text}` : ''}`;
}
