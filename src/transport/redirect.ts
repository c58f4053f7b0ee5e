import {sanitize} from '../render/sanitize.js';

export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirect(status: number, location: string | undefined): location is string {
  return REDIRECT_STATUSES.has(status) && location !== undefined && location !== '';
}

export type RedirectDecision = {follow: true; url: URL} | {follow: false; message: string};

/**
 * Decide whether to follow a redirect. Only the same scheme, host and port are followed (a
 * proxy's admin port must not send us, or the headers we carry, anywhere else), at most
 * MAX_REDIRECTS hops, and never back to a URL already visited.
 *
 * `visited` holds every URL requested so far, the current one last.
 */
export function decideRedirect(location: string, visited: readonly URL[]): RedirectDecision {
  const current = visited[visited.length - 1];
  let target: URL;
  try {
    target = new URL(location, current);
  } catch {
    return {follow: false, message: `redirect to an invalid location "${sanitize(location)}"`};
  }
  if (target.origin !== current.origin) {
    return {follow: false, message: `redirect to another host not followed: ${sanitize(target.origin)}`};
  }
  const seen = visited.findIndex((url) => url.href === target.href);
  if (seen >= 0) {
    const loop = [...visited.slice(seen), target].map((url) => sanitize(url.pathname + url.search));
    return {follow: false, message: `redirect loop: ${loop.join(' → ')}`};
  }
  if (visited.length > MAX_REDIRECTS) {
    return {follow: false, message: `more than ${MAX_REDIRECTS} redirects`};
  }
  return {follow: true, url: target};
}
