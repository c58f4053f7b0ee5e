import {UsageError} from '../errors.js';
import {isLoopbackHost} from '../util/loopback.js';
import {parseListen} from '../tracing/listen-address.js';

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
  /** Where and how the sidecars export spans (loopback only). */
  otlp: OtlpExport;
  /**
   * Share (0–1) of load-generator requests that start a sampled trace context. Linkerd
   * proxies never start a trace, so this is where Linkerd traces come from; in the Istio
   * flavour the first sidecar decides, so the default there is 0.
   */
  traceShare: number;
}

/**
 * The transport each flavour's sidecars export spans with, as the real proxies do:
 * linkerd2-proxy speaks only OTLP/gRPC (`host:port`); the Istio flavour posts OTLP/HTTP
 * protobuf to a URL.
 */
export type OtlpExport = {transport: 'grpc'; address: string} | {transport: 'http'; url: string};

const DEFAULT_GRPC_ADDRESS = '127.0.0.1:4317';
const DEFAULT_HTTP_URL = 'http://127.0.0.1:4318/v1/traces';

/** The OTLP default endpoints, where a bare `meshctl trace collect` listens. */
export const DEFAULT_OTLP: Record<Flavor, OtlpExport> = {
  linkerd: {transport: 'grpc', address: DEFAULT_GRPC_ADDRESS},
  istio: {transport: 'http', url: DEFAULT_HTTP_URL},
};
/** Upper bound on --rps: the machine is shared, the demo is a demo. */
export const MAX_RPS = 200;

export const DEFAULTS: Omit<DemoOptions, 'seed' | 'traceShare' | 'otlp'> = {
  flavor: 'linkerd',
  rps: 10,
  errorRate: 0.1,
};

/** Linkerd flavour: a tenth of requests arrive with a sampled context; Istio: none (the sidecars decide). */
export const DEFAULT_TRACE_SHARE: Record<Flavor, number> = {linkerd: 0.1, istio: 0};

/** Raw option values as commander hands them over (strings, or undefined when not given). */
export interface RawDemoOptions {
  flavor?: unknown;
  rps?: unknown;
  errorRate?: unknown;
  seed?: unknown;
  otlpGrpc?: unknown;
  otlpHttp?: unknown;
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
    otlp: otlpExport(flavor as Flavor, raw),
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

/** The flavour's export transport; the flag of the other transport is refused, saying why. */
function otlpExport(flavor: Flavor, raw: RawDemoOptions): OtlpExport {
  const wrong = flavor === 'linkerd' ? raw.otlpHttp : raw.otlpGrpc;
  if (wrong !== undefined) {
    throw new UsageError(
      flavor === 'linkerd'
        ? '--otlp-http does not apply to the linkerd flavour: its sidecars export OTLP/gRPC, as linkerd2-proxy does'
        : '--otlp-grpc does not apply to the istio flavour: its sidecars export OTLP/HTTP',
      flavor === 'linkerd' ? `use --otlp-grpc HOST:PORT, e.g. ${DEFAULT_GRPC_ADDRESS}` : `use --otlp-http URL, e.g. ${DEFAULT_HTTP_URL}`,
    );
  }
  if (flavor === 'linkerd') {
    return raw.otlpGrpc === undefined ? DEFAULT_OTLP.linkerd : {transport: 'grpc', address: loopbackAddress(String(raw.otlpGrpc))};
  }
  return raw.otlpHttp === undefined ? DEFAULT_OTLP.istio : {transport: 'http', url: loopbackUrl(String(raw.otlpHttp))};
}

const OFF_LOOPBACK_HINT = 'the demo never sends traffic off the loopback interface';

/** `--otlp-grpc`: `HOST:PORT` (or a bare port) on 127.0.0.0/8 or localhost. */
export function loopbackAddress(text: string): string {
  const {host, port} = parseListen(text, '--otlp-grpc', 4317);
  if (!isLoopbackHost(host) || host.includes(':')) {
    throw new UsageError(`--otlp-grpc must point at this machine (127.0.0.0/8 or localhost), got "${host}"`, OFF_LOOPBACK_HINT);
  }
  return `${host === 'localhost' ? '127.0.0.1' : host}:${port}`;
}

/** `otlp` as one line: `OTLP/gRPC to 127.0.0.1:4317`. Undefined in a state file an older meshctl wrote. */
export function describeOtlp(otlp: OtlpExport | undefined): string {
  if (!otlp) return 'to an endpoint this meshctl cannot tell (the demo was started by an older one)';
  return otlp.transport === 'grpc' ? `OTLP/gRPC to ${otlp.address}` : `OTLP/HTTP to ${otlp.url}`;
}

/**
 * `--otlp-http`: the demo only ever talks to loopback. An OTLP endpoint elsewhere is refused
 * rather than silently sent traffic.
 */
export function loopbackUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid --otlp-http "${text}"`, `use e.g. ${DEFAULT_HTTP_URL}`);
  }
  if (url.protocol !== 'http:') {
    throw new UsageError(`--otlp-http must be an http:// URL, got "${text}"`, 'the demo exports OTLP/HTTP protobuf without TLS');
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new UsageError(`--otlp-http must point at this machine (127.0.0.0/8 or localhost), got "${url.hostname}"`, OFF_LOOPBACK_HINT);
  }
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return url.toString();
}

