/** The proxy families meshctl understands. */
export type DialectName = 'linkerd' | 'envoy';

export const DIALECTS: readonly DialectName[] = ['linkerd', 'envoy'];

/**
 * One proxy to read, as the user named it (flag, env or contexts file).
 * `url` is where metrics are read; `adminUrl`, when set, is a separate admin endpoint
 * (Istio serves metrics on :15090/:15020 but the Envoy admin API only on :15000).
 */
export interface Target {
  /** Display name: user-given, or host:port. Unique within one run. */
  name: string;
  /** Normalized base URL with scheme, e.g. `http://10.0.0.7:4191`. May carry a path. */
  url: string;
  adminUrl?: string;
  dialect?: DialectName;
  /** Hints from the contexts file, used when the proxy cannot tell us itself. */
  namespace?: string;
  workload?: string;
}
