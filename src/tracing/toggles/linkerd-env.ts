import {linkerdAdminBase} from '../../dialects/linkerd/admin-url.js';
import {traceConfigFromEnv, type LinkerdTraceConfig} from '../../dialects/linkerd/identity.js';
import type {Target} from '../../model/target.js';
import {describeTransportError} from '../../transport/index.js';
import type {AdminClient} from '../../transport/types.js';
import type {Deadline} from './envoy-runtime.js';
import type {Parsed} from './runtime.js';

/** The trace collector a linkerd2-proxy was started with, from its `/env.json`. */
export async function readLinkerdTracing(client: AdminClient, target: Target, limits: Deadline): Promise<Parsed<LinkerdTraceConfig>> {
  const response = await client.getJson(`${linkerdAdminBase(target)}/env.json`, limits);
  if (!response.ok) {
    if (response.error.status === 404) return {ok: false, message: 'no /env.json (proxy older than Linkerd 2.12): collector settings unknown'};
    return {ok: false, message: `cannot read /env.json: ${describeTransportError(response.error)}`};
  }
  const env = response.value;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return {ok: false, message: 'unexpected /env.json answer: not a JSON object'};
  return {ok: true, value: traceConfigFromEnv(env as Record<string, unknown>)};
}
