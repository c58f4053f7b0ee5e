/** A config dump as `/config_dump` prints it: `{"configs": [{"@type": …, fields…}, …]}`. */
export interface ConfigDump {
  configs: Array<Record<string, unknown>>;
}

export interface AdminAnswer {
  status: number;
  body: string;
  contentType: string;
}

const TYPE_PREFIX = 'type.googleapis.com/envoy.admin.v3.';

/**
 * The fields of each dump message (envoy/admin/v3/config_dump*.proto): a repeated field's
 * element type, or null for a single field. Envoy knows them whether or not a dump prints them.
 */
const DUMP_FIELDS: Record<string, Record<string, string | null>> = {
  BootstrapConfigDump: {bootstrap: null, last_updated: null},
  ClustersConfigDump: {version_info: null, static_clusters: 'StaticCluster', dynamic_active_clusters: 'DynamicCluster', dynamic_warming_clusters: 'DynamicCluster'},
  EndpointsConfigDump: {static_endpoint_configs: 'StaticEndpointConfig', dynamic_endpoint_configs: 'DynamicEndpointConfig'},
  ListenersConfigDump: {version_info: null, static_listeners: 'StaticListener', dynamic_listeners: 'DynamicListener'},
  RoutesConfigDump: {static_route_configs: 'StaticRouteConfig', dynamic_route_configs: 'DynamicRouteConfig'},
  ScopedRoutesConfigDump: {inline_scoped_route_configs: 'InlineScopedRouteConfigs', dynamic_scoped_route_configs: 'DynamicScopedRouteConfigs'},
  SecretsConfigDump: {static_secrets: 'StaticSecret', dynamic_active_secrets: 'DynamicSecret', dynamic_warming_secrets: 'DynamicSecret'},
};

const json = (value: unknown): AdminAnswer => ({status: 200, body: `${JSON.stringify(value, null, 1)}\n`, contentType: 'application/json'});
const text = (status: number, body: string): AdminAnswer => ({status, body, contentType: 'text/plain'});

function dumpName(config: Record<string, unknown>): string {
  return String(config['@type'] ?? '').slice(TYPE_PREFIX.length);
}

/**
 * Envoy's ConfigDumpHandler over a whole dump: `?resource=F` answers every element of the
 * repeated field F, each packed with its own `@type` (404 `F not found in config dump` when no
 * dump has F, 400 when F is not repeated); `?mask=a,b` keeps those fields of each dump and
 * leaves out the dumps it does not fit (400 when it fits none). A mask path may go through
 * single message fields (`bootstrap.tracing`); with a resource it applies to each element's
 * top-level fields. `include_eds` is up to the caller, which builds the dump.
 */
export function answerConfigDump(dump: ConfigDump, params: URLSearchParams): AdminAnswer {
  const resource = params.get('resource');
  const mask = params.get('mask');
  const paths = mask === null ? null : mask.split(',').filter(Boolean);
  if (resource !== null) return byResource(dump, resource, paths);
  if (paths === null) return json(dump);
  const configs = dump.configs.filter((c) => paths.every((p) => Object.hasOwn(DUMP_FIELDS[dumpName(c)] ?? {}, p.split('.')[0]))).map((c) => ({'@type': c['@type'], ...trim(c, paths)}));
  if (configs.length === 0) return text(400, `FieldMask ${mask} could not be successfully applied to any configs.`);
  return json({configs});
}

function byResource(dump: ConfigDump, resource: string, paths: string[] | null): AdminAnswer {
  for (const config of dump.configs) {
    const fields = DUMP_FIELDS[dumpName(config)] ?? {};
    if (!Object.hasOwn(fields, resource)) continue;
    const element = fields[resource];
    if (element === null) return text(400, `${resource} is not a repeated field. Use ?mask=${resource} to get only this field`);
    const items = Array.isArray(config[resource]) ? (config[resource] as Array<Record<string, unknown>>) : [];
    const type = `${String(config['@type'])}.${element}`;
    return json({configs: items.map((item) => ({'@type': type, ...(paths ? trim(item, paths.map((p) => p.split('.')[0])) : item)}))});
  }
  return text(404, `${resource} not found in config dump`);
}

/** Keep only the mask's paths; `a.b` keeps `b` inside the message `a`. */
function trim(message: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const path of paths) {
    const [head, ...rest] = path.split('.');
    const value = message[head];
    if (value === undefined) continue;
    if (rest.length === 0) kept[head] = value;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const inner = trim(value as Record<string, unknown>, [rest.join('.')]);
      kept[head] = {...(kept[head] as Record<string, unknown> | undefined), ...inner};
    }
  }
  return kept;
}
