import type {PodInfo} from '../../mesh/pod.js';
import {CLUSTER_DOMAIN} from '../../topology.js';

export const ISTIO_VERSION = '1.26.2';
/** Envoy's version string layout (`<sha>/<version>/<status>/<build>/<ssl>`), naming the demo. */
export const ENVOY_VERSION = 'meshctl-demo/1.34.1/Clean/RELEASE/node';
export const CLUSTER_ID = 'Kubernetes';
export const MESH_ID = CLUSTER_DOMAIN;

/**
 * The demo sidecars keep `cluster.outbound` stats, which Istio drops unless a pod asks for
 * them; this is the annotation that asks, and it is shown in the node metadata.
 */
export const PROXY_CONFIG_ANNOTATION = '{"proxyStatsMatcher":{"inclusionPrefixes":["cluster.outbound"]}}';

/** `sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local` */
export function nodeId(pod: PodInfo): string {
  return `sidecar~${pod.ip}~${pod.name}.${pod.namespace}~${pod.namespace}.svc.${CLUSTER_DOMAIN}`;
}

export function podLabels(pod: PodInfo): Record<string, string> {
  return {
    app: pod.workload,
    'pod-template-hash': pod.templateHash,
    'security.istio.io/tlsMode': 'istio',
    'service.istio.io/canonical-name': pod.workload,
    'service.istio.io/canonical-revision': pod.version,
    version: pod.version,
  };
}

/** The node metadata pilot-agent puts in the bootstrap (istio/istio pkg/model/proxy.go). */
export function nodeMetadata(pod: PodInfo): Record<string, unknown> {
  return {
    ANNOTATIONS: {'proxy.istio.io/config': PROXY_CONFIG_ANNOTATION, 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}'},
    APP_CONTAINERS: pod.workload,
    CLUSTER_ID,
    INSTANCE_IPS: pod.ip,
    ISTIO_VERSION,
    LABELS: podLabels(pod),
    MESH_ID,
    NAME: pod.name,
    NAMESPACE: pod.namespace,
    OWNER: `kubernetes://apis/apps/v1/namespaces/${pod.namespace}/deployments/${pod.workload}`,
    SERVICE_ACCOUNT: pod.serviceAccount,
    WORKLOAD_NAME: pod.workload,
  };
}

/** What a sidecar learns about its peer (the fields istio_stats reads from peer metadata). */
export interface PeerMetadata {
  workload: string;
  namespace: string;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  cluster: string;
}

export function peerMetadataOf(pod: PodInfo): PeerMetadata {
  return {
    workload: pod.workload,
    namespace: pod.namespace,
    app: pod.workload,
    version: pod.version,
    canonicalService: pod.workload,
    canonicalRevision: pod.version,
    cluster: CLUSTER_ID,
  };
}

export const MX_ID_HEADER = 'x-envoy-peer-metadata-id';
export const MX_HEADER = 'x-envoy-peer-metadata';

/**
 * HTTP metadata exchange headers. Istio base64-encodes a protobuf Struct; the demo
 * base64-encodes the same fields as JSON.
 */
export function mxHeaders(pod: PodInfo): Array<[string, string]> {
  const m = nodeMetadata(pod);
  const fields = {CLUSTER_ID: m.CLUSTER_ID, LABELS: m.LABELS, NAME: m.NAME, NAMESPACE: m.NAMESPACE, WORKLOAD_NAME: m.WORKLOAD_NAME};
  return [
    [MX_HEADER, Buffer.from(JSON.stringify(fields)).toString('base64')],
    [MX_ID_HEADER, nodeId(pod)],
  ];
}

export function decodeMx(value: string | undefined): PeerMetadata | null {
  if (!value) return null;
  try {
    const m = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as {
      CLUSTER_ID?: string;
      LABELS?: Record<string, string>;
      NAMESPACE?: string;
      WORKLOAD_NAME?: string;
    };
    const labels = m.LABELS ?? {};
    return {
      workload: String(m.WORKLOAD_NAME ?? ''),
      namespace: String(m.NAMESPACE ?? ''),
      app: labels.app ?? '',
      version: labels.version ?? '',
      canonicalService: labels['service.istio.io/canonical-name'] ?? '',
      canonicalRevision: labels['service.istio.io/canonical-revision'] ?? '',
      cluster: String(m.CLUSTER_ID ?? ''),
    };
  } catch {
    return null;
  }
}
