import type {Scraper, ScrapeResult} from '../../dialects/scrape.js';
import type {ProxyInfo} from '../../dialects/types.js';
import {ownWorkload} from '../../dialects/own-workload.js';
import type {DialectName, Target} from '../../model/target.js';
import type {ProxyIdentity, WorkloadRef} from '../../model/workload.js';
import type {ResourceSelector} from '../../views/resources.js';
import {identityMatches} from '../../views/select.js';

/** One proxy a tracing command acts on, as far as reading it told. */
export interface SelectedProxy {
  target: Target;
  /** null when the proxy could not be read. */
  family: DialectName | null;
  workload: WorkloadRef;
  version: string | null;
  /** Why it could not be read, or null. */
  failure: string | null;
  /** Collector settings learnt while reading it (Linkerd), if any. */
  traceCollector: ProxyInfo['traceCollector'];
}

export interface Selection {
  /** KIND[/NAME] arguments; none selects every proxy. */
  selectors: readonly ResourceSelector[];
  /** Only proxies in this namespace; null for all. */
  namespace: string | null;
}

const UNKNOWN: ProxyIdentity = {pod: null, workload: null, namespace: null, serviceAccount: null, source: 'unknown'};

/**
 * Read every target once (the Scraper learns family, identity and version) and keep those the
 * selection names. A proxy that could not be read is kept when the contexts file's hints for
 * it match, so a failure inside the selection is reported rather than silently skipped.
 */
export async function discoverProxies(
  scraper: Scraper,
  targets: readonly Target[],
  selection: Selection,
  limits: {deadlineMs?: number; signal?: AbortSignal},
): Promise<SelectedProxy[]> {
  const results = await scraper.scrapeAll(targets, limits);
  return results.map(read).filter(({proxy, identity}) => selected(proxy, identity, selection)).map(({proxy}) => proxy);
}

function read(result: ScrapeResult): {proxy: SelectedProxy; identity: ProxyIdentity} {
  if (!result.ok) {
    const {target, message} = result.failure;
    return {identity: UNKNOWN, proxy: {target, family: target.dialect ?? null, workload: ownWorkload(UNKNOWN, target), version: null, failure: message, traceCollector: undefined}};
  }
  const {snapshot, info} = result;
  return {
    identity: info.identity,
    proxy: {
      target: snapshot.target,
      family: snapshot.dialect,
      workload: ownWorkload(info.identity, snapshot.target),
      version: info.version,
      failure: null,
      traceCollector: info.traceCollector,
    },
  };
}

function selected(proxy: SelectedProxy, identity: ProxyIdentity, selection: Selection): boolean {
  if (selection.namespace !== null && proxy.workload.namespace !== selection.namespace) return false;
  return selection.selectors.length === 0 || selection.selectors.some((s) => identityMatches(s, identity, proxy.target));
}
