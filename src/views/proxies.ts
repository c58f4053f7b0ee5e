import type {ScrapeResult} from '../dialects/scrape.js';
import {ownWorkload} from '../dialects/own-workload.js';
import type {DialectName, Target} from '../model/target.js';
import type {ProxyIdentity} from '../model/workload.js';

export interface ProxyRow {
  target: Target;
  dialect: DialectName | null;
  version: string | null;
  ready: boolean | null;
  workload: string | null;
  namespace: string | null;
  pod: string | null;
  podIp: string | null;
  serviceAccount: string | null;
  identitySource: ProxyIdentity['source'] | null;
  uptimeSeconds: number | null;
  error: string | null;
  notes: string[];
}

export function proxyRows(results: readonly ScrapeResult[]): ProxyRow[] {
  return results.map((result) => {
    if (!result.ok) {
      const t = result.failure.target;
      return {
        target: t, dialect: t.dialect ?? null, version: null, ready: null, workload: t.workload ?? null, namespace: t.namespace ?? null,
        pod: null, podIp: null, serviceAccount: null, identitySource: null, uptimeSeconds: null, error: result.failure.message, notes: [],
      };
    }
    const {snapshot, info} = result;
    const self = ownWorkload(info.identity, snapshot.target);
    return {
      target: snapshot.target,
      dialect: snapshot.dialect,
      version: info.version,
      ready: info.ready,
      workload: self.name,
      namespace: self.namespace,
      pod: info.identity.pod,
      podIp: info.identity.podIp ?? null,
      serviceAccount: info.identity.serviceAccount,
      identitySource: info.identity.source,
      uptimeSeconds: snapshot.startTimeSec === null ? null : Math.max(0, snapshot.scrapedAtMs / 1000 - snapshot.startTimeSec),
      error: null,
      notes: info.notes,
    };
  });
}
