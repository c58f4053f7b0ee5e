import {MetricsParseError} from '../metrics/parse-error.js';
import {parsePrometheusText} from '../metrics/parse.js';
import type {ParsedMetrics} from '../metrics/types.js';
import type {ProxyFailure} from '../model/failure.js';
import {nowMs, type Snapshot} from '../model/snapshot.js';
import type {Target} from '../model/target.js';
import {sanitize} from '../render/sanitize.js';
import {describeTransportError} from '../transport/index.js';
import type {AdminClient, TransportError} from '../transport/types.js';
import {mapBounded} from '../util/limit.js';
import {DIALECT_LIST, guessDialect, keepAny} from './index.js';
import type {Dialect, ProxyInfo} from './types.js';

/**
 * Metrics bodies above this are refused. A busy linkerd2-proxy serves a few MB; anything
 * far bigger is a misconfiguration or hostile, and must not stall a scrape of hundreds.
 */
export const METRICS_MAX_BYTES = 32 * 1024 * 1024;

export type ScrapeResult =
  | {ok: true; snapshot: Snapshot; info: ProxyInfo; dialect: Dialect}
  | {ok: false; failure: ProxyFailure};

export interface ScrapeOptions {
  /** Absolute deadline (nowMs clock) for this round of scrapes. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/**
 * Reads proxies: fetch metrics, parse, recognise the family, ask the admin API who the proxy
 * is (once per proxy), and map to a Snapshot. What it learns on the first scrape (family,
 * metrics URL, identity) is reused on later ones. Failures are values naming the proxy.
 */
export class Scraper {
  private readonly known = new Map<string, {dialect: Dialect; metricsUrl: string; info: ProxyInfo}>();

  constructor(
    private readonly client: AdminClient,
    private readonly concurrency: number,
    private readonly checkReady = false,
  ) {}

  scrapeAll(targets: readonly Target[], options: ScrapeOptions = {}): Promise<ScrapeResult[]> {
    return mapBounded(targets, this.concurrency, (target) => this.scrape(target, options));
  }

  async scrape(target: Target, options: ScrapeOptions = {}): Promise<ScrapeResult> {
    const request = {deadlineMs: options.deadlineMs, signal: options.signal};
    const known = this.known.get(target.name);
    const guessed = known?.dialect ?? guessDialect(target);
    const candidates = metricsUrls(target, guessed);

    let body: string | null = null;
    let metricsUrl = '';
    let lastError: TransportError | null = null;
    for (const url of known ? [known.metricsUrl] : candidates) {
      const response = await this.client.getText(url, {...request, maxBytes: METRICS_MAX_BYTES});
      if (response.ok) {
        body = response.value.body;
        metricsUrl = url;
        break;
      }
      lastError = response.error;
      // Only a 404 means "wrong path, try the other family's"; anything else is the answer.
      if (response.error.status !== 404) break;
    }
    if (body === null) return fail(target, lastError!.kind === 'status' ? `http-${lastError!.status}` : lastError!.kind, describe(lastError!));
    const scrapedAtMs = nowMs();

    let metrics: ParsedMetrics;
    try {
      metrics = parsePrometheusText(body, {keep: guessed?.keep ?? keepAny});
    } catch (error) {
      if (error instanceof MetricsParseError) return fail(target, 'parse', `malformed metrics at ${metricsUrl}: ${sanitize(error.message)}`);
      throw error;
    }

    const dialect = guessed && (target.dialect || guessed.recognizes(metrics)) ? guessed : DIALECT_LIST.find((d) => d.recognizes(metrics));
    if (!dialect) {
      return fail(target, 'unrecognized', `no linkerd2-proxy or Envoy metrics at ${metricsUrl} (use --dialect, or point at the admin/metrics port)`);
    }
    const info = known?.info ?? (await dialect.describe(target, metrics, {client: this.client, checkReady: this.checkReady, ...request}));
    this.known.set(target.name, {dialect, metricsUrl, info});
    return {ok: true, snapshot: dialect.toSnapshot(metrics, target, info, scrapedAtMs), info, dialect};
  }
}

/** Where to look for metrics: the URL as given when it has a path, else each family's path. */
function metricsUrls(target: Target, guessed: Dialect | null): string[] {
  const url = new URL(target.url);
  if (url.pathname !== '/' && url.pathname !== '') return [target.url];
  const order = guessed ? [guessed, ...DIALECT_LIST.filter((d) => d !== guessed)] : DIALECT_LIST;
  return order.map((d) => `${target.url}${d.metricsPath}`);
}

function describe(error: TransportError): string {
  return `${describeTransportError(error)} (${error.url})`;
}

function fail(target: Target, reason: string, message: string): ScrapeResult {
  return {ok: false, failure: {target, reason, message: sanitize(message)}};
}
