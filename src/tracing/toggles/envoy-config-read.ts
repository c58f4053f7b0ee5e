import {describeTransportError} from '../../transport/index.js';
import type {AdminClient, TransportError} from '../../transport/types.js';
import {formatBytes} from '../../util/bytes.js';
import {summarizeTracing, needsBootstrapTracer, type ConfiguredTracing} from './configured-tracing.js';
import {parseBootstrapTracer, parseListenerTracing, type ManagerTracing} from './envoy-config.js';
import type {Deadline} from './envoy-runtime.js';
import type {Parsed} from './runtime.js';

/** A listener dump larger than this is not read (a big mesh without Sidecar scoping gets there). */
export const CONFIG_DUMP_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The tracing an Envoy's listeners configure, from `/config_dump`. It asks only for the
 * listeners, with `?resource=static_listeners` and `?resource=dynamic_listeners` (each element
 * comes back alone, so no cluster, route or secret is sent). Only when a traced connection
 * manager has no provider of its own is the bootstrap's asked for, with
 * `?mask=bootstrap.tracing`, and only on Envoy 1.19 or later: earlier versions crash on a
 * field mask that does not fit every dump (envoyproxy/envoy#17257).
 */
export async function readConfiguredTracing(client: AdminClient, admin: string, version: string | null, limits: Deadline): Promise<Parsed<ConfiguredTracing>> {
  const managers: ManagerTracing[] = [];
  for (const resource of ['static_listeners', 'dynamic_listeners']) {
    const response = await client.getJson(`${admin}/config_dump?resource=${resource}`, {...limits, maxBytes: CONFIG_DUMP_MAX_BYTES});
    if (!response.ok) {
      // Envoy answers 404 `<resource> not found in config dump` when no dump has the field.
      if (response.error.status === 404 && resource === 'static_listeners') continue;
      return {ok: false, message: explainRead(response.error)};
    }
    const parsed = parseListenerTracing(response.value);
    if (!parsed.ok) return parsed;
    managers.push(...parsed.value.managers);
    if (parsed.value.whole) break;
  }
  if (!needsBootstrapTracer(managers)) return {ok: true, value: summarizeTracing(managers, null)};
  if (!fieldMasksAreSafe(version)) return {ok: true, value: summarizeTracing(managers, undefined)};
  const response = await client.getJson(`${admin}/config_dump?mask=bootstrap.tracing`, {...limits, maxBytes: CONFIG_DUMP_MAX_BYTES});
  const bootstrap = response.ok ? parseBootstrapTracer(response.value) : null;
  return {ok: true, value: summarizeTracing(managers, bootstrap?.ok ? bootstrap.value : undefined)};
}

/** Envoy 1.19 and later check a field mask before applying it. */
export function fieldMasksAreSafe(version: string | null): boolean {
  const match = version ? /^(\d+)\.(\d+)\./.exec(version) : null;
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || (major === 1 && minor >= 19);
}

function explainRead(error: TransportError): string {
  if (error.status === 404) return 'no /config_dump here (an admin port that does not serve it, or admin.allow_paths leaves it out)';
  if (error.kind === 'too-large') return `the listener configuration is larger than ${formatBytes(CONFIG_DUMP_MAX_BYTES)}; not read`;
  if (error.kind === 'decode') return `/config_dump did not answer JSON: ${error.message}`;
  return `cannot read /config_dump: ${describeTransportError(error)}`;
}
