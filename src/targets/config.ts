import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {Document, isMap, parseDocument, YAMLMap} from 'yaml';
import {UserError} from '../errors.js';

/** One proxy entry of a context, as written in the contexts file. */
export interface ProxyEntry {
  url: string;
  name?: string;
  namespace?: string;
  workload?: string;
  dialect?: string;
  /** Separate admin URL (Envoy admin on :15000 when metrics come from :15090/:15020). */
  admin?: string;
}

export interface Context {
  /** Default namespace for commands run in this context (like kubectl's context namespace). */
  namespace?: string;
  proxies: ProxyEntry[];
  /** Extra headers sent to every admin endpoint (auth proxies). */
  headers?: Record<string, string>;
  /** TLS for https:// admin endpoints; file paths relative to the contexts file's folder. */
  tls?: ContextTls;
  /** Set by `meshctl demo up` so `demo down` can restore the user's previous context. */
  'previous-context'?: string;
}

/** A context's `tls:` block, named as kubeconfig names its cluster and user fields. */
export interface ContextTls {
  'certificate-authority'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  'insecure-skip-tls-verify'?: boolean;
}

export interface ContextsFile {
  'current-context'?: string;
  contexts: Record<string, Context>;
}

/** `$MESHCTL_CONFIG`, else `$XDG_CONFIG_HOME/meshctl/config.yaml`, else `~/.config/meshctl/config.yaml`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MESHCTL_CONFIG) return env.MESHCTL_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'meshctl', 'config.yaml');
}

/** Read the contexts file; a missing file is an empty one. Malformed YAML is a UserError. */
export function readContextsFile(path: string): ContextsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {contexts: {}};
    throw new UserError(`cannot read contexts file ${path}: ${(error as Error).message}`);
  }
  return parseContexts(loadDocument(text, path).toJS() ?? {}, path);
}

function loadDocument(text: string, path: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first.linePos ? `:${first.linePos[0].line}:${first.linePos[0].col}` : '';
    throw new UserError(`contexts file ${path}${where} is not valid YAML: ${first.message.split('\n')[0]}`);
  }
  return doc;
}

function parseContexts(raw: unknown, path: string): ContextsFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UserError(`contexts file ${path} must be a mapping with a "contexts" key`);
  }
  const obj = raw as Record<string, unknown>;
  const contexts: Record<string, Context> = {};
  const rawContexts = obj.contexts ?? {};
  // Accept both a map of name → context and a kubeconfig-style list of {name, ...}.
  const entries: [string, unknown][] = Array.isArray(rawContexts)
    ? rawContexts.map((c, i) => [String((c as {name?: unknown})?.name ?? `#${i + 1}`), c])
    : Object.entries(rawContexts as Record<string, unknown>);
  for (const [name, value] of entries) contexts[name] = parseContext(name, value, path);
  const current = obj['current-context'];
  return {'current-context': typeof current === 'string' ? current : undefined, contexts};
}

function parseContext(name: string, value: unknown, path: string): Context {
  const where = `context "${name}" in ${path}`;
  if (typeof value !== 'object' || value === null) throw new UserError(`${where} must be a mapping`);
  const ctx = value as Record<string, unknown>;
  const proxies = ctx.proxies ?? [];
  if (!Array.isArray(proxies)) throw new UserError(`${where}: "proxies" must be a list`);
  const parsed: ProxyEntry[] = proxies.map((p, i) => {
    if (typeof p === 'string') return {url: p};
    if (typeof p !== 'object' || p === null || typeof (p as ProxyEntry).url !== 'string') {
      throw new UserError(`${where}: proxy #${i + 1} needs a "url"`);
    }
    const entry = p as Record<string, unknown>;
    const str = (k: string) => (entry[k] === undefined || entry[k] === null ? undefined : String(entry[k]));
    return {
      url: String(entry.url),
      name: str('name'),
      namespace: str('namespace'),
      workload: str('workload'),
      dialect: str('dialect'),
      admin: str('admin'),
    };
  });
  const headers = ctx.headers as Record<string, string> | undefined;
  return {
    namespace: typeof ctx.namespace === 'string' ? ctx.namespace : undefined,
    proxies: parsed,
    headers: headers && typeof headers === 'object' ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])) : undefined,
    tls: parseContextTls(ctx.tls, where),
    'previous-context': typeof ctx['previous-context'] === 'string' ? ctx['previous-context'] : undefined,
  };
}

/**
 * Write (or replace) one context and optionally make it current, keeping every other context
 * and the file's comments. The write is atomic (temp file + rename).
 */
export function upsertContext(path: string, name: string, context: Context, makeCurrent: boolean): void {
  const doc = readDocument(path);
  let contexts = doc.get('contexts');
  if (!isMap(contexts)) {
    contexts = new YAMLMap();
    doc.set('contexts', contexts);
  }
  (contexts as YAMLMap).set(name, doc.createNode(stripUndefined(context)));
  if (makeCurrent) doc.set('current-context', name);
  writeAtomically(path, doc.toString());
}

/** Remove one context; when it was current, `current-context` becomes `restoreCurrent` (or is removed). */
export function removeContext(path: string, name: string, restoreCurrent?: string): void {
  const doc = readDocument(path);
  const contexts = doc.get('contexts');
  if (isMap(contexts)) contexts.delete(name);
  if (doc.get('current-context') === name) {
    if (restoreCurrent) doc.set('current-context', restoreCurrent);
    else doc.delete('current-context');
  }
  writeAtomically(path, doc.toString());
}

function readDocument(path: string): Document {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UserError(`cannot read contexts file ${path}: ${(error as Error).message}`);
    }
  }
  const doc = loadDocument(text, path);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  return doc;
}

function writeAtomically(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), {recursive: true});
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text, {mode: 0o600});
    renameSync(tmp, path);
  } catch (error) {
    throw new UserError(`cannot write contexts file ${path}: ${(error as Error).message}`);
  }
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const TLS_FILE_KEYS = ['certificate-authority', 'client-certificate', 'client-key'] as const;

function parseContextTls(value: unknown, where: string): ContextTls | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${where}: "tls" must be a mapping`);
  const raw = value as Record<string, unknown>;
  const known = [...TLS_FILE_KEYS, 'insecure-skip-tls-verify'];
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new UserError(`${where}: unknown key "${unknown[0]}" under "tls"`, {hint: `known keys: ${known.join(', ')}`});
  const tls: ContextTls = {};
  for (const key of TLS_FILE_KEYS) {
    if (raw[key] === undefined || raw[key] === null) continue;
    if (typeof raw[key] !== 'string' || raw[key] === '') throw new UserError(`${where}: tls "${key}" must be a file path`);
    tls[key] = raw[key];
  }
  const insecure = raw['insecure-skip-tls-verify'];
  if (insecure !== undefined && insecure !== null) {
    if (typeof insecure !== 'boolean') throw new UserError(`${where}: tls "insecure-skip-tls-verify" must be true or false`);
    tls['insecure-skip-tls-verify'] = insecure;
  }
  return tls;
}
