/**
 * Where an Envoy tracer sends spans, read from its typed config as `/config_dump` prints it
 * (protobuf JSON, snake_case, default values left out). The shapes are Envoy's
 * envoy.config.trace.v3 messages: OpenTelemetryConfig (`grpc_service` or `http_service`),
 * ZipkinConfig (`collector_cluster` + `collector_endpoint`, or `collector_service`),
 * DatadogConfig (`collector_cluster`), SkyWalkingConfig (`grpc_service`), XRayConfig
 * (`daemon_endpoint`).
 */
export interface TracerConfig {
  /** The extension name, e.g. `envoy.tracers.opentelemetry`. */
  name: string;
  /** Where spans go: a URI or target, else the upstream cluster's name; null when not said. */
  collector: string | null;
  /** The upstream cluster that carries the spans, when one is named. */
  cluster: string | null;
  /** How they are sent, e.g. `otlp/grpc`, `otlp/http`, `zipkin/http_json`. */
  protocol: string | null;
  serviceName: string | null;
  /** An OpenTelemetry sampler extension: it, not the connection manager's rates, decides. */
  sampler: string | null;
}

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function object(value: unknown): Json {
  return isObject(value) ? value : {};
}

/** A `Tracing.Http` (`{name, typed_config}`) as the connection manager or bootstrap holds it. */
export function tracerOf(http: unknown): TracerConfig | null {
  if (!isObject(http)) return null;
  const typed = object(http.typed_config);
  const type = text(typed['@type']) ?? '';
  const name = text(http.name) ?? (type ? type.replace(/^.*\//, '') : null);
  if (name === null) return null;
  const base: TracerConfig = {name, collector: null, cluster: null, protocol: null, serviceName: text(typed.service_name), sampler: null};
  if (/opentelemetry/i.test(name) || type.endsWith('OpenTelemetryConfig')) return {...base, ...openTelemetry(typed)};
  if (/zipkin/i.test(name) || type.endsWith('ZipkinConfig')) return {...base, ...zipkin(typed)};
  if (/xray/i.test(name) || type.endsWith('XRayConfig')) return {...base, ...xray(typed)};
  return {...base, ...grpcOrCluster(typed)};
}

type Destination = Partial<Pick<TracerConfig, 'collector' | 'cluster' | 'protocol' | 'sampler'>>;

function openTelemetry(typed: Json): Destination {
  const sampler = text(object(typed.sampler).name);
  if (isObject(typed.grpc_service)) return {...grpcService(typed.grpc_service), protocol: 'otlp/grpc', sampler};
  if (isObject(typed.http_service)) return {...httpService(typed.http_service), protocol: 'otlp/http', sampler};
  // The exporter extension of newer Envoy versions; its own config says where.
  const exporter = text(object(typed.exporter).name);
  return {protocol: exporter, sampler};
}

function zipkin(typed: Json): Destination {
  const version = text(typed.collector_endpoint_version);
  const protocol = `zipkin/${(version ?? 'http_json').toLowerCase()}`;
  if (isObject(typed.collector_service)) return {...httpService(typed.collector_service), protocol};
  const cluster = text(typed.collector_cluster);
  const endpoint = text(typed.collector_endpoint);
  return {cluster, collector: cluster ? `${cluster}${endpoint ?? ''}` : null, protocol};
}

function xray(typed: Json): Destination {
  const address = object(typed.daemon_endpoint);
  const host = text(address.address);
  return {collector: host ? `${host}:${String(address.port_value ?? '')}` : null, protocol: 'xray/udp'};
}

/** Datadog, SkyWalking and others: a gRPC service or a collector cluster, if any. */
function grpcOrCluster(typed: Json): Destination {
  if (isObject(typed.grpc_service)) return {...grpcService(typed.grpc_service), protocol: 'grpc'};
  const cluster = text(typed.collector_cluster);
  return {cluster, collector: cluster};
}

/** GrpcService: `envoy_grpc.cluster_name`, or `google_grpc.target_uri`. */
function grpcService(service: Json): Destination {
  const cluster = text(object(service.envoy_grpc).cluster_name);
  const target = text(object(service.google_grpc).target_uri);
  return {cluster, collector: target ?? cluster};
}

/** HttpService: `http_uri.uri` (a full URL or a path on the cluster) and `http_uri.cluster`. */
function httpService(service: Json): Destination {
  const uri = object(service.http_uri);
  const cluster = text(uri.cluster);
  const target = text(uri.uri);
  const collector = target && !target.startsWith('/') ? target : cluster ? `${cluster}${target ?? ''}` : target;
  return {cluster, collector};
}
