/**
 * Derives a route from an observed path when the proxy names none: segments that look like
 * identifiers become `{id}`, so `/books/123` and `/books/456` are one route `/books/{id}`.
 * A segment is an identifier when it is:
 * - all digits (`123`), or digits with a file extension (`1353.json` → `{id}.json`);
 * - a UUID, or a hex string of 8+ characters that has a digit (hashes, object ids);
 * - a token of 16+ URL-safe/base64 characters with 4+ digits, or with digits and both
 *   letter cases (`dGhpcyBpcyBhIHRva2Vu9`), but not kebab words such as `oauth2-callback-v2`.
 * The query string and fragment are dropped. Words (`/api/v1/books`) and dotted names
 * (gRPC services such as `emojivoto.v1.VotingService`, `app.deadbeef.js`) are kept.
 */

const DIGITS = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{8,}$/i;
const TOKEN = /^[A-Za-z0-9_\-+=~]{16,}$/;
const ID_WITH_EXTENSION = /^(\d+|[0-9a-f]{8}-[0-9a-f-]{27})(\.[a-z0-9]{1,8})$/i;

export const ID_PLACEHOLDER = '{id}';

export function templatePath(path: string): string {
  const end = firstIndexOf(path, '?', '#');
  const bare = end < 0 ? path : path.slice(0, end);
  return bare
    .split('/')
    .map(templateSegment)
    .join('/');
}

function templateSegment(segment: string): string {
  if (segment === '') return segment;
  const withExtension = ID_WITH_EXTENSION.exec(segment);
  if (withExtension) return `${ID_PLACEHOLDER}${withExtension[2]}`;
  return looksLikeId(segment) ? ID_PLACEHOLDER : segment;
}

function looksLikeId(segment: string): boolean {
  if (DIGITS.test(segment) || UUID.test(segment)) return true;
  if (HEX.test(segment) && /\d/.test(segment)) return true;
  if (!TOKEN.test(segment)) return false;
  const digits = segment.replace(/\D/g, '').length;
  return digits >= 4 || (digits > 0 && /[a-z]/.test(segment) && /[A-Z]/.test(segment));
}

function firstIndexOf(text: string, ...chars: string[]): number {
  let best = -1;
  for (const ch of chars) {
    const at = text.indexOf(ch);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** What a path turns into once `RouteTemplates` is full and meets a template it has not seen. */
export const OTHER_ROUTE = '[other]';

/**
 * Remembers up to `maxTemplates` distinct templates; past that, new ones are reported as
 * `[other]`, so route grouping stays readable (and bounded) when paths vary wildly.
 */
export class RouteTemplates {
  private readonly seen = new Set<string>();

  constructor(readonly maxTemplates = 1_000) {}

  routeOf(method: string | null, path: string | null): string {
    if (path === null) return OTHER_ROUTE;
    const template = templatePath(path);
    const route = method ? `${method} ${template}` : template;
    if (this.seen.has(route)) return route;
    if (this.seen.size >= this.maxTemplates) return OTHER_ROUTE;
    this.seen.add(route);
    return route;
  }

  get size(): number {
    return this.seen.size;
  }
}
