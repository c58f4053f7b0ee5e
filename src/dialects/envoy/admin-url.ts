import type {Target} from '../../model/target.js';

/** Ports where only metrics are served (Istio :15090 Envoy stats listener, :15020 pilot-agent). */
export const METRICS_ONLY_PORTS: ReadonlySet<string> = new Set(['15090', '15020']);

/**
 * The Envoy admin API base (`http://host:port`): the target's explicit admin URL, else the
 * target itself unless it is a metrics-only port, where no admin endpoint answers (null).
 */
export function envoyAdminBase(target: Target): string | null {
  const url = new URL(target.adminUrl ?? target.url);
  if (!target.adminUrl && METRICS_ONLY_PORTS.has(url.port)) return null;
  return `${url.protocol}//${url.host}`;
}
