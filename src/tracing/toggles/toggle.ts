import {envoyAdminBase} from '../../dialects/envoy/admin-url.js';
import type {TraceCollectorSettings} from '../../dialects/types.js';
import {EXIT} from '../../exit-codes.js';
import type {AdminClient} from '../../transport/types.js';
import {mapBounded} from '../../util/limit.js';
import type {ConfiguredTracing} from './configured-tracing.js';
import {readConfiguredTracing} from './envoy-config-read.js';
import {modifyRuntime, NO_ADMIN_URL, readRuntime, type Deadline} from './envoy-runtime.js';
import {linkerdTracing} from './linkerd-env.js';
import {planChanges, unmetChanges, type Change, type Intent} from './plan.js';
import type {SelectedProxy} from './proxies.js';
import {tracingState, withOverrides, type TracingState} from './runtime.js';

export type ToggleResult = 'changed' | 'unchanged' | 'would-change' | 'failed' | 'unsupported';

/** What `trace enable|disable` did (or, with --dry-run, would do) to one proxy. */
export interface ToggleRow {
  proxy: SelectedProxy;
  result: ToggleResult;
  /** Why it failed, in words; null otherwise. */
  reason: string | null;
  /** Envoy: the tracing keys before, and after the write (or as they would be). */
  before: TracingState | null;
  after: TracingState | null;
  /** The writes sent, or that would be sent. */
  changes: Change[];
  /** Envoy: what its listeners configure (null when /config_dump could not be read). */
  configured: ConfiguredTracing | null;
  /** Linkerd: the collector it was started with, when /env.json answered. */
  linkerd: TraceCollectorSettings | null;
}

export interface ToggleOptions extends Deadline {
  dryRun: boolean;
  concurrency: number;
}

export function toggleAll(client: AdminClient, proxies: readonly SelectedProxy[], intent: Intent, options: ToggleOptions): Promise<ToggleRow[]> {
  return mapBounded(proxies, options.concurrency, (proxy) => toggleOne(client, proxy, intent, options));
}

async function toggleOne(client: AdminClient, proxy: SelectedProxy, intent: Intent, options: ToggleOptions): Promise<ToggleRow> {
  const row: ToggleRow = {proxy, result: 'failed', reason: proxy.failure, before: null, after: null, changes: [], configured: null, linkerd: null};
  if (proxy.failure !== null) return row;
  if (proxy.family === 'linkerd') {
    const env = linkerdTracing(proxy);
    return {...row, result: 'unsupported', reason: null, linkerd: env.ok ? env.value : null};
  }
  const admin = envoyAdminBase(proxy.target);
  if (admin === null) return {...row, reason: NO_ADMIN_URL};

  const [read, config] = await Promise.all([readRuntime(client, admin, options), readConfiguredTracing(client, admin, proxy.version, options)]);
  if (!read.ok) return {...row, reason: read.message};
  row.configured = config.ok ? config.value : null;
  const before = tracingState(read.value);
  const changes = planChanges(before, intent);
  if (changes.length === 0) return {...row, result: 'unchanged', reason: null, before, after: before};
  if (options.dryRun) {
    const after = tracingState(withOverrides(read.value, new Map(changes.map((c) => [c.key, c.to]))));
    return {...row, result: 'would-change', reason: null, before, after, changes};
  }

  const written = await modifyRuntime(client, admin, changes, options);
  // Read back even after a failed write: a timed-out POST may still have been applied.
  const reread = await readRuntime(client, admin, options);
  const after = reread.ok ? tracingState(reread.value) : null;
  if (!written.ok) return {...row, reason: written.message, before, after, changes};
  if (!reread.ok) return {...row, reason: `written, but ${reread.message}`, before, changes};
  const unmet = unmetChanges(after!, changes, intent);
  if (unmet.length > 0) return {...row, reason: unmet.join('; '), before, after, changes};
  return {...row, result: 'changed', reason: null, before, after, changes};
}

/**
 * 0 when every selected proxy is changed or already right; 3 when some are, and others failed
 * or are Linkerd proxies (not everything selected does what was asked); 4 when every proxy
 * that answered is Linkerd; 1 when none could be acted on.
 */
export function toggleExitCode(rows: readonly ToggleRow[]): number {
  const count = (...results: ToggleResult[]) => rows.filter((r) => results.includes(r.result)).length;
  const done = count('changed', 'unchanged', 'would-change');
  const failed = count('failed');
  const unsupported = count('unsupported');
  if (done === 0) return failed === 0 && unsupported > 0 ? EXIT.UNSUPPORTED : EXIT.ERROR;
  return failed + unsupported > 0 ? EXIT.PARTIAL : EXIT.OK;
}
