import type {PodInfo} from '../mesh/pod.js';
import type {ServiceRegistry} from '../mesh/registry.js';
import type {TlsMaterial} from '../mesh/tls.js';
import type {Flavor as FlavorName, OtlpExport} from '../options.js';
import type {SidecarPlugin} from '../sidecar/plugin.js';
import type {SidecarProxy} from '../sidecar/sidecar.js';
import type {SpanExporter} from '../tracing/exporter.js';

export interface FlavorDeps {
  pod: PodInfo;
  tls: TlsMaterial | null;
  registry: ServiceRegistry;
  /** Where spans go; null when tracing is off. */
  exporter: SpanExporter | null;
  /** Where spans are exported to (shown in the proxy's configuration). */
  otlp: OtlpExport | null;
  processStartEpochMs: number;
}

/** How meshctl reaches one sidecar: one entry of the `demo` context. */
export interface SidecarEndpoints {
  dialect: 'linkerd' | 'envoy';
  /** Where metrics are read. */
  url: string;
  /** Envoy admin, when separate from `url`. */
  admin?: string;
}

/** A flavour's half of a sidecar: what it records and the admin API it serves. */
export interface FlavorSidecar {
  readonly plugin: SidecarPlugin;
  /** Called once the proxy's listeners are up (their addresses are then known). */
  attach(proxy: SidecarProxy): void;
  start(): Promise<void>;
  close(): Promise<void>;
  endpoints(): SidecarEndpoints;
}

export interface Flavor {
  name: FlavorName;
  /** Which certificate identity the sidecars check on each other. */
  identity: 'linkerd' | 'spiffe';
  create(deps: FlavorDeps): FlavorSidecar;
}
