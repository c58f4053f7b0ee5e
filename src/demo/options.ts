import {UsageError} from '../errors.js';
import {isLoopbackHost} from '../util/loopback.js';

export type Flavor = 'linkerd' | 'istio';
export const FLAVORS: readonly Flavor[] = ['linkerd', 'istio'];

/** Everything that shapes one run of the demo mesh. */
export interface DemoOptions {
  flavor: Flavor;
  /** Requests per second the load generator sends to webapp. */
  rps: number;
  /** Share (0–1) of requests the books backend fails with a 500. */
  errorRate: number;
  /** Seeds pod names, ids the load generator picks, latencies and failures. */
  seed: number;
  /** OTLP/HTTP traces endpoint the sidecars export spans to (loopback only). */
  otlpEndpoint: string;
  /**
   * Share (0–1) of load-generator requests that start a sampled trace context. Linkerd
   * proxies never start a trace, so this is where Linkerd traces come from; in the Istio
   * flavour the first sidecar decides, so the default there is 0.
   */
  traceShare: number;
}

export const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318/v1/traces';
/** Upper bound on --rps: the machine is shared, the demo is a demo. */
export const MAX_RPS = 200;

export const DEFAULTS: Omit<DemoOptions, 'seed' | 'traceShare'> = {
  flavor: 'linkerd',
  rps: 10,
  errorRate: 0.1,
  otlpEndpoint: DEFAULT_OTLP_ENDPOINT,
};

/** Linkerd flavour: a tenth of requests arrive with a sampled context; Istio: none (the sidecars decide). */
export const DEFAULT_TRACE_SHARE: Record<Flavor, number> = {linkerd: 0.1, istio: 0};

/** Raw option values as commander hands them over (strings, or undefined when not given). */
export interface RawDemoOptions {
  flavor?: unknown;
  rps?: unknown;
  errorRate?: unknown;
  seed?: unknown;
  otlpEndpoint?: unknown;
  traceShare?: unknown;
}

/** Validate and complete the options; bad values are usage errors with a hint. */
export function parseDemoOptions(raw: RawDemoOptions, randomSeed: () => number = defaultSeed): DemoOptions {
  const flavor = raw.flavor === undefined ? DEFAULTS.flavor : String(raw.flavor);
  if (!(FLAVORS as readonly string[]).includes(flavor)) {
    throw new UsageError(`unknown flavor "${flavor}"`, `use one of: ${FLAVORS.join(', ')}`);
  }
  return {
    flavor: flavor as Flavor,
    rps: number(raw.rps, '--rps', DEFAULTS.rps, {min: 0.1, max: MAX_RPS}),
    errorRate: number(raw.errorRate, '--error-rate', DEFAULTS.errorRate, {min: 0, max: 1}),
    seed: raw.seed === undefined ? randomSeed() : seed(raw.seed),
    otlpEndpoint: raw.otlpEndpoint === undefined ? DEFAULTS.otlpEndpoint : loopbackUrl(String(raw.otlpEndpoint)),
    traceShare: number(raw.traceShare, '--trace-share', DEFAULT_TRACE_SHARE[flavor as Flavor], {min: 0, max: 1}),
  };
}

function number(value: unknown, flag: string, fallback: number, range: {min: number; max: number}): number {
  if (value === undefined) return fallback;
  const text = String(value).trim();
  const parsed = /^\d+(\.\d+)?$|^\.\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(parsed) || parsed < range.min || parsed > range.max) {
    throw new UsageError(`${flag} must be a number from ${range.min} to ${range.max}, got "${text}"`);
  }
  return parsed;
}

function seed(value: unknown): number {
  const text = String(value).trim();
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) {
    throw new UsageError(`--seed must be a whole number from 0 to ${0xffffffff}, got "${text}"`);
  }
  return Number(text);
}

function defaultSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/**
 * The demo only ever talks to loopback. An OTLP endpoint elsewhere is refused rather than
 * silently sent traffic.
 */
export function loopbackUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid --otlp-endpoint "${text}"`, `use e.g. ${DEFAULT_OTLP_ENDPOINT}`);
  }
  if (url.protocol !== 'http:') {
    throw new UsageError(`--otlp-endpoint must be an http:// URL, got "${text}"`, 'the demo exports OTLP/HTTP protobuf without TLS');
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `--otlp-endpoint must point at this machine (127.0.0.0/8 or localhost), got "${url.hostname}"`,
      'the demo never sends traffic off the loopback interface',
    );
  }
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return url.toString();
}

