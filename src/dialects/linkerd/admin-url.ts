import type {Target} from '../../model/target.js';

/** linkerd2-proxy serves everything on one admin port; a path in the target URL is dropped. */
export function linkerdAdminBase(target: Target): string {
  const url = new URL(target.adminUrl ?? target.url);
  return `${url.protocol}//${url.host}`;
}
