import {UsageError} from '../errors.js';
import type {TrafficEvent} from '../model/traffic.js';
import {parseDuration} from '../util/duration.js';

/** `--path`: a prefix, or (written `~REGEX`) a regular expression searched anywhere in `:path`. */
export type PathMatch = {kind: 'prefix'; value: string} | {kind: 'regex'; source: string; regex: RegExp};

/** `--status`: one code (`503`) or a class (`5xx`). */
export type StatusMatch = {kind: 'code'; code: number} | {kind: 'class'; digit: number};

/**
 * The tap filters. The proxy is asked to match what it can (see tap-request.ts), and every
 * filter is applied here again, so results are right even when a proxy matches loosely or
 * ignores part of the match.
 */
export interface TapFilter {
  /** Exact, upper-case (`GET`). */
  method: string | null;
  path: PathMatch | null;
  /** Exact, compared case-insensitively (host names are). */
  authority: string | null;
  status: StatusMatch | null;
  /** Only requests at least this slow; requests of unknown latency are excluded. */
  minLatencyMs: number | null;
}

export const NO_FILTER: TapFilter = {method: null, path: null, authority: null, status: null, minLatencyMs: null};

export interface TapFilterFlags {
  method?: string;
  path?: string;
  authority?: string;
  status?: string;
  minLatency?: string;
}

/** Validate the filter flags; a bad value is a UsageError naming the flag. */
export function parseTapFilter(flags: TapFilterFlags): TapFilter {
  return {
    method: flags.method === undefined ? null : parseMethod(flags.method),
    path: flags.path === undefined ? null : parsePathMatch(flags.path),
    authority: flags.authority === undefined ? null : nonEmpty(flags.authority, '--authority'),
    status: flags.status === undefined ? null : parseStatusMatch(flags.status),
    minLatencyMs: flags.minLatency === undefined ? null : parseDuration(flags.minLatency, '--min-latency'),
  };
}

function parseMethod(text: string): string {
  const method = text.trim().toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`--method needs an HTTP method such as GET, got "${text}"`);
  return method;
}

export function parsePathMatch(text: string): PathMatch {
  if (!text.startsWith('~')) {
    if (!text.startsWith('/')) {
      throw new UsageError(`--path needs a prefix starting with "/" or a regex written ~REGEX, got "${text}"`);
    }
    return {kind: 'prefix', value: text};
  }
  const source = text.slice(1);
  if (source === '') throw new UsageError('--path ~ needs a regular expression after the ~');
  try {
    return {kind: 'regex', source, regex: new RegExp(source)};
  } catch (error) {
    throw new UsageError(`--path: invalid regular expression: ${(error as Error).message}`);
  }
}

export function parseStatusMatch(text: string): StatusMatch {
  const value = text.trim().toLowerCase();
  if (/^[1-5]xx$/.test(value)) return {kind: 'class', digit: Number(value[0])};
  if (/^[1-5]\d\d$/.test(value)) return {kind: 'code', code: Number(value)};
  throw new UsageError(`--status needs a code such as 503 or a class such as 5xx, got "${text}"`);
}

function nonEmpty(text: string, flag: string): string {
  const value = text.trim();
  if (value === '') throw new UsageError(`${flag} needs a value`);
  return value;
}

/** True when the event passes every filter that is set. */
export function matchesTapFilter(event: TrafficEvent, filter: TapFilter): boolean {
  if (filter.method !== null && event.method !== filter.method) return false;
  if (filter.path !== null && !matchesPath(event.path, filter.path)) return false;
  if (filter.authority !== null && event.authority?.toLowerCase() !== filter.authority.toLowerCase()) return false;
  if (filter.status !== null && !matchesStatus(event.status, filter.status)) return false;
  if (filter.minLatencyMs !== null && (event.latencyMs === null || event.latencyMs < filter.minLatencyMs)) return false;
  return true;
}

function matchesPath(path: string | null, match: PathMatch): boolean {
  if (path === null) return false;
  return match.kind === 'prefix' ? path.startsWith(match.value) : match.regex.test(path);
}

function matchesStatus(status: number | null, match: StatusMatch): boolean {
  if (status === null) return false;
  return match.kind === 'code' ? status === match.code : Math.floor(status / 100) === match.digit;
}
