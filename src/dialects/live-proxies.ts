import {UserError} from '../errors.js';
import type {ProxyFailure} from '../model/failure.js';
import {nowMs} from '../model/snapshot.js';
import type {Target} from '../model/target.js';
import {AddressBook, type KnownProxy} from '../views/address-book.js';
import {KIND_SHORT, type ResourceSelector} from '../views/resources.js';
import {proxyMatches} from '../views/select.js';
import {ownWorkload} from './own-workload.js';
import type {Scraper} from './scrape.js';
import type {Dialect, ProxyInfo} from './types.js';

/** A proxy a live command (tap, top) works with: who it is and which family speaks for it. */
export interface LiveProxy {
  target: Target;
  info: ProxyInfo;
  dialect: Dialect;
}

export interface ProxySelection {
  proxies: LiveProxy[];
  /** Proxies that could not be read, so could not be told apart by identity. */
  failures: ProxyFailure[];
  /** Pod IPs of every proxy read, selected or not, to name the other side of a tapped request. */
  addressBook: AddressBook;
}

/**
 * Read every target once (family and identity, as `stat` does) and keep those the selector
 * names: `deploy/NAME`, `po/NAME`, `ns/NAME`, or all when the selector is null. Throws a
 * UserError when proxies answered but none matched, naming what was found instead.
 */
export async function selectLiveProxies(
  scraper: Scraper,
  targets: readonly Target[],
  selector: ResourceSelector | null,
  options: {timeoutMs: number; signal: AbortSignal},
): Promise<ProxySelection> {
  const results = await scraper.scrapeAll(targets, {deadlineMs: nowMs() + 2 * options.timeoutMs + 500, signal: options.signal});
  const proxies: LiveProxy[] = [];
  const failures: ProxyFailure[] = [];
  const seen: string[] = [];
  const known: KnownProxy[] = [];
  for (const result of results) {
    if (!result.ok) {
      failures.push(result.failure);
      continue;
    }
    const {target} = result.snapshot;
    const self = ownWorkload(result.info.identity, target);
    seen.push(describeProxy(target.name, self.namespace, self.name));
    known.push({workload: self, podIp: result.info.identity.podIp ?? null});
    if (selector === null || proxyMatches(selector, result.snapshot)) proxies.push({target, info: result.info, dialect: result.dialect});
  }
  if (selector !== null && proxies.length === 0 && seen.length > 0 && !options.signal.aborted) {
    const wanted = `${KIND_SHORT[selector.kind]}${selector.name === null ? '' : `/${selector.name}`}`;
    throw new UserError(`no proxy matches ${wanted}`, {hint: `proxies read: ${seen.slice(0, 10).join(', ')}${seen.length > 10 ? ', …' : ''}`});
  }
  return {proxies, failures, addressBook: new AddressBook(known)};
}

function describeProxy(name: string, namespace: string | null, workload: string): string {
  return `${name} (deploy/${workload}${namespace ? ` in ${namespace}` : ''})`;
}
