import type {PodInfo} from '../../mesh/pod.js';
import type {HeaderList} from '../../sidecar/headers.js';
import type {ExchangeResult, LocalReply, ProxyError, RequestInfo} from '../../sidecar/plugin.js';
import {serviceHost} from '../../topology.js';
import type {Hop} from './istio-stats.js';
import {peerMetadataOf, type PeerMetadata} from './metadata.js';
import type {TappedExchange} from './tap/trace.js';

/** Envoy's short response flags for what went wrong at the proxy (`-` when nothing did). */
export function responseFlags(error: ProxyError | null): string {
  switch (error) {
    case null:
      return '-';
    case 'connect':
      return 'UF';
    case 'reset':
      return 'UC';
    case 'timeout':
      return 'UT';
    case 'no-route':
      return 'NR';
    case 'no-endpoints':
      return 'UH';
    case 'downstream-reset':
      return 'DC';
  }
}

/** Envoy's local replies for the same failures. */
export function envoyLocalReply(error: ProxyError): LocalReply {
  switch (error) {
    case 'no-route':
      return {status: 404, body: ''};
    case 'no-endpoints':
      return {status: 503, body: 'no healthy upstream'};
    case 'connect':
      return {status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure'};
    case 'timeout':
      return {status: 504, body: 'upstream request timeout'};
    default:
      return {status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination'};
  }
}

/** Bytes of an HTTP/1.1 message head plus body, as they cross the wire unencrypted. */
export function wireSize(startLine: string, headers: HeaderList, bodyBytes: number): number {
  let size = startLine.length + 2 + 2;
  for (const [name, value] of headers) size += name.length + 2 + Buffer.byteLength(value) + 2;
  return size + bodyBytes;
}

/** The hop as the reporting sidecar sees it; `peer` comes from metadata exchange or endpoint metadata. */
export function hopOf(local: PodInfo, info: RequestInfo, result: ExchangeResult, peer: PeerMetadata | null, mtls: boolean): Hop {
  const service = info.service;
  if (info.direction === 'inbound') {
    return {
      reporter: 'destination',
      local,
      peer,
      peerPrincipal: info.downstream.spiffeId,
      localPrincipal: mtls ? local.spiffeId : null,
      serviceHost: service ? serviceHost(service) : null,
      serviceName: service?.name ?? null,
    };
  }
  const endpoint = result.forward?.endpoint ?? null;
  return {
    reporter: 'source',
    local,
    peer: peer ?? (endpoint ? peerMetadataOf(endpoint.pod) : null),
    peerPrincipal: result.forward?.upstream.spiffeId ?? null,
    localPrincipal: mtls && result.forward?.upstream.tls ? local.spiffeId : null,
    serviceHost: service ? serviceHost(service) : null,
    serviceName: service?.name ?? null,
  };
}

/** What the tap filter recorded: request headers as forwarded (pseudo-headers first), response as sent. */
export function tappedExchange(info: RequestInfo, result: ExchangeResult): TappedExchange {
  const request: HeaderList = [
    [':authority', info.authority],
    [':path', info.path],
    [':method', info.method],
    [':scheme', 'http'],
    ...info.headers.filter(([name]) => name !== 'host'),
  ];
  const response: HeaderList = [[':status', String(result.status)], ...result.responseHeaders];
  return {
    request,
    response,
    requestBody: result.requestBody,
    requestTruncated: result.requestBodyTruncated,
    responseBody: result.responseBody,
    responseTruncated: result.responseBodyTruncated,
    requestHeadersAt: info.startEpochMs,
    responseHeadersAt: result.responseHeadersMs === null ? null : performance.timeOrigin + result.responseHeadersMs,
    downstream: {local: info.target, remote: info.client},
  };
}
