import type {PodInfo} from '../../mesh/pod.js';
import {ENVOY_VERSION, nodeId, nodeMetadata} from './metadata.js';

/** Duration in protobuf JSON form (`"42s"`, `"0.250s"`). */
function duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(3)}s`;
}

/** Sort object keys recursively, as protobuf prints a Struct. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]));
  }
  return value;
}

/** `/server_info` (envoy.admin.v3.ServerInfo), fields in proto order. */
export function renderServerInfo(pod: PodInfo, uptimeSec: number): string {
  const [, version] = ENVOY_VERSION.split('/');
  const info = {
    version: ENVOY_VERSION,
    state: 'LIVE',
    uptime_current_epoch: duration(uptimeSec),
    uptime_all_epochs: duration(uptimeSec),
    hot_restart_version: 'disabled',
    command_line_options: {
      concurrency: 1,
      log_level: 'warning',
      drain_time: duration(45),
      parent_shutdown_time: duration(60),
      mode: 'Serve',
      service_cluster: `${pod.workload}.${pod.namespace}`,
      service_node: nodeId(pod),
    },
    node: {
      id: nodeId(pod),
      cluster: `${pod.workload}.${pod.namespace}`,
      metadata: sorted(nodeMetadata(pod)),
      user_agent_name: 'envoy',
      user_agent_build_version: {version: Object.fromEntries(version.split('.').map((n, i) => [['major_number', 'minor_number', 'patch'][i], Number(n)])), metadata: {'build.type': 'RELEASE', 'revision.status': 'Clean', 'revision.sha': 'meshctl-demo'}},
    },
  };
  return JSON.stringify(info, null, 1);
}
