import {UsageError, UserError} from '../errors.js';
import type {DialectName, Target} from '../model/target.js';
import {dirname, resolve as resolvePath} from 'node:path';
import {configPath, readContextsFile, type ContextTls} from './config.js';
import {dedupeTargets, normalizeUrl, parseDialect, parseProxyList, parseProxySpec} from './parse.js';

export interface TargetFlags {
  /** `-p/--proxy` values (each may be comma-separated). */
  proxy?: string[];
  /** `--context <name>` */
  context?: string;
  /** `--dialect linkerd|envoy` */
  dialect?: string;
}

export interface ResolvedTargets {
  targets: Target[];
  /** Where the list came from, for messages. */
  origin: 'flag' | 'env' | 'context';
  contextName?: string;
  /** The context's default namespace, if it sets one. */
  defaultNamespace?: string;
  /** Headers the context asks to send to every admin endpoint. */
  headers: Record<string, string>;
  /** The context's TLS settings, file paths made absolute. */
  tls?: TlsFiles;
}

/** Where TLS material for https:// admin endpoints comes from, and whether to verify. */
export interface TlsFiles {
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipVerify?: boolean;
  /** Named in messages: `--client-key` or `context "prod" in ~/.config/meshctl/config.yaml`. */
  origin: string;
}

/**
 * Decide which proxies to read. Flags win over `$MESHCTL_PROXIES`, which wins over the
 * contexts file (`--context`, else its `current-context`). `--dialect` applies to all.
 */
export function resolveTargets(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): ResolvedTargets {
  const forced = parseDialect(flags.dialect, '--dialect');
  const withDialect = (targets: Target[]) =>
    forced ? targets.map((t) => ({...t, dialect: forced})) : targets;

  if (flags.proxy && flags.proxy.length > 0) {
    if (flags.context) throw new UsageError('pass either -p/--proxy or --context, not both');
    return {targets: withDialect(dedupeTargets(parseProxyList(flags.proxy))), origin: 'flag', headers: {}};
  }
  if (!flags.context && env.MESHCTL_PROXIES && env.MESHCTL_PROXIES.trim() !== '') {
    const targets = dedupeTargets(parseProxyList([env.MESHCTL_PROXIES]));
    return {targets: withDialect(targets), origin: 'env', headers: {}};
  }

  const path = configPath(env);
  const file = readContextsFile(path);
  const name = flags.context ?? file['current-context'];
  if (!name) {
    throw new UsageError(
      'no proxies to read',
      `pass -p host:port, set MESHCTL_PROXIES, or add a context to ${path} (try \`meshctl demo up\` for a local demo mesh)`,
    );
  }
  const context = file.contexts[name];
  if (!context) {
    const known = Object.keys(file.contexts);
    throw new UsageError(
      `no context named "${name}" in ${path}`,
      known.length > 0 ? `known contexts: ${known.join(', ')}` : 'the file defines no contexts',
    );
  }
  if (context.proxies.length === 0) throw new UserError(`context "${name}" in ${path} lists no proxies`);
  const targets = context.proxies.map((entry): Target => {
    const base = parseProxySpec(entry.url);
    const dialect: DialectName | undefined = parseDialect(entry.dialect, `context "${name}"`);
    return {
      name: entry.name ?? base.name,
      url: base.url,
      adminUrl: entry.admin ? normalizeUrl(entry.admin, 'admin') : undefined,
      dialect,
      namespace: entry.namespace ?? context.namespace,
      workload: entry.workload,
    };
  });
  return {
    targets: withDialect(dedupeTargets(targets)),
    origin: 'context',
    contextName: name,
    defaultNamespace: context.namespace,
    headers: context.headers ?? {},
    tls: context.tls && contextTlsFiles(context.tls, dirname(path), `context "${name}" in ${path}`),
  };
}

/** A context's `tls:` paths are relative to the contexts file, as kubeconfig paths are. */
function contextTlsFiles(tls: ContextTls, base: string, origin: string): TlsFiles {
  const file = (path: string | undefined) => (path === undefined ? undefined : resolvePath(base, path));
  return {
    certificateAuthority: file(tls['certificate-authority']),
    clientCertificate: file(tls['client-certificate']),
    clientKey: file(tls['client-key']),
    insecureSkipVerify: tls['insecure-skip-tls-verify'],
    origin,
  };
}

/** Parse `-H "Name: value"` flags into a header map. */
export function parseHeaderFlags(values: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values ?? []) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError(`invalid header "${value}"`, 'use -H "Name: value"');
    const name = value.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`invalid header name "${name}"`);
    headers[name] = value.slice(colon + 1).trim();
  }
  return headers;
}
