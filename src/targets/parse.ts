import {UsageError} from '../errors.js';
import {DIALECTS, type DialectName, type Target} from '../model/target.js';

/**
 * Turn what a user typed for a proxy into a normalized URL: the scheme defaults to http, a
 * bare `host:port` or `[v6]:port` works, and only http(s) is accepted. A trailing `/` is
 * dropped so paths can be appended.
 */
export function normalizeUrl(raw: string, what = 'proxy'): string {
  const text = raw.trim();
  if (text === '') throw new UsageError(`empty ${what} URL`);
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`invalid ${what} URL "${raw}"`, 'use host:port, http://host:port or name=http://host:port');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`unsupported scheme in ${what} URL "${raw}"`, 'only http:// and https:// are supported');
  }
  if (url.hostname === '') throw new UsageError(`missing host in ${what} URL "${raw}"`);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

/** Host and port of a normalized URL, used as the default target name. */
export function hostPort(url: string): string {
  return new URL(url).host;
}

/**
 * Parse `-p` values / `$MESHCTL_PROXIES`: each entry may hold several comma-separated proxies,
 * each either a URL or `name=url`.
 */
export function parseProxyList(values: readonly string[]): Target[] {
  const targets: Target[] = [];
  for (const value of values) {
    for (const item of value.split(',')) {
      if (item.trim() === '') continue;
      targets.push(parseProxySpec(item.trim()));
    }
  }
  return targets;
}

export function parseProxySpec(spec: string): Target {
  const eq = spec.indexOf('=');
  const head = eq > 0 ? spec.slice(0, eq) : '';
  // `name=url` only when the part before `=` cannot itself be part of a URL.
  if (head !== '' && !/[:/?#]/.test(head)) {
    const url = normalizeUrl(spec.slice(eq + 1));
    return {name: head.trim(), url};
  }
  const url = normalizeUrl(spec);
  return {name: hostPort(url), url};
}

export function parseDialect(value: string | undefined, where: string): DialectName | undefined {
  if (value === undefined || value === '') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'istio' || lower === 'consul' || lower === 'kuma') return 'envoy';
  if ((DIALECTS as readonly string[]).includes(lower)) return lower as DialectName;
  throw new UsageError(`unknown dialect "${value}" in ${where}`, 'use linkerd or envoy');
}

/**
 * Make target names unique within a run: the same URL twice collapses to one target; two
 * different URLs under one explicit name are a usage error.
 */
export function dedupeTargets(targets: readonly Target[]): Target[] {
  const byName = new Map<string, Target>();
  for (const target of targets) {
    const existing = byName.get(target.name);
    if (!existing) {
      byName.set(target.name, target);
    } else if (existing.url !== target.url) {
      throw new UsageError(`two proxies are named "${target.name}" (${existing.url} and ${target.url})`);
    }
  }
  return [...byName.values()];
}
