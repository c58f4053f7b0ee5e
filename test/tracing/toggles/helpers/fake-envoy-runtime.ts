import type {IncomingMessage, ServerResponse} from 'node:http';
import {answerConfigDump, type ConfigDump} from '../../../../src/demo/flavors/istio/config-dump-query.js';
import {istioServerInfo} from '../../../helpers/fake-proxies.js';
import {startServer, type ListenOptions, type TestServer} from '../../../helpers/servers.js';

export interface Layer {
  name: string;
  /** Only an admin layer takes /runtime_modify overrides. */
  admin?: boolean;
  values?: Record<string, string>;
}

export interface FakeEnvoyRuntimeSpec {
  pod: string;
  namespace?: string;
  workload: string;
  /** Default: Istio's bootstrap, a static `global config` layer then the `admin` layer. */
  layers?: Layer[];
  /** How a non-POST to /runtime_modify is refused: older Envoy 400, newer 405. */
  wrongMethodStatus?: 400 | 405;
  /** Answer a POST to /runtime_modify with a 302 to another URL for it (clients follow a 302 with a GET). */
  redirectModify?: boolean;
  /**
   * What `/config_dump` holds, answered with Envoy's `?resource=`/`?mask=` handling; a string is
   * sent as it is (for malformed answers). Without it, `/config_dump` is a 404.
   */
  configDump?: ConfigDump | string;
}

export interface SeenRequest {
  method: string;
  path: string;
  /** The query's pairs, decoded as Envoy decodes them (percent-decoding only; `+` stays `+`). */
  params: [string, string][];
}

export interface FakeEnvoyRuntime {
  server: TestServer;
  url: string;
  seen: SeenRequest[];
  /** The /runtime_modify requests the fake applied. */
  modifies(): SeenRequest[];
  /** The admin layer's own values. */
  overrides(): Record<string, string>;
  /** `GET /runtime`'s JSON, as the fake would answer now. */
  runtimeJson(): {layers: string[]; entries: Record<string, {layer_values: string[]; final_value: string}>};
}

const ISTIO_LAYERS: Layer[] = [
  {name: 'global config', values: {'overload.global_downstream_max_connections': '2147483647'}},
  {name: 'admin', admin: true},
];

function configDump(res: ServerResponse, dump: ConfigDump | string, query: string): void {
  if (typeof dump === 'string') {
    res.writeHead(200, {'content-type': 'application/json'}).end(dump);
    return;
  }
  const answer = answerConfigDump(dump, new URLSearchParams(query));
  res.writeHead(answer.status, {'content-type': answer.contentType}).end(answer.body);
}

/** Envoy's query-string decoding (Utility::parseAndDecodeQueryString): percent-decoding, no `+` → space. */
function envoyParams(query: string): [string, string][] {
  if (query === '') return [];
  return query.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    const [key, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    return [decodeURIComponent(key), decodeURIComponent(value)];
  });
}

/**
 * A loopback Envoy admin port with Envoy's layered runtime: `/runtime` lists the layers and
 * every key's value per layer (later layers win); `/runtime_modify` takes POSTed query (or
 * form) parameters, writes them to the admin layer, deletes on an empty value, answers 400
 * without parameters, 503 `No admin layer specified` without an admin layer, and refuses
 * other methods. Also `/stats/prometheus` and `/server_info`, so meshctl recognises it.
 */
export async function fakeEnvoyRuntime(spec: FakeEnvoyRuntimeSpec, listen: ListenOptions = {}): Promise<FakeEnvoyRuntime> {
  const layers = (spec.layers ?? ISTIO_LAYERS).map((l) => ({...l, values: new Map(Object.entries(l.values ?? {}))}));
  const seen: SeenRequest[] = [];
  const applied: SeenRequest[] = [];

  const runtimeJson = () => {
    const keys = [...new Set(layers.flatMap((l) => [...l.values.keys()]))].sort();
    const entries: Record<string, {layer_values: string[]; final_value: string}> = {};
    for (const key of keys) {
      const values = layers.map((l) => l.values.get(key) ?? '');
      entries[key] = {layer_values: values, final_value: values.filter((v) => v !== '').pop() ?? ''};
    }
    return {layers: layers.map((l) => l.name), entries};
  };

  const modify = (req: IncomingMessage, res: ServerResponse, request: SeenRequest, body: string) => {
    if (spec.redirectModify && req.method === 'POST') {
      res.writeHead(302, {location: `${req.url}&redirected=1`}).end();
      return;
    }
    if (req.method !== 'POST') {
      const status = spec.wrongMethodStatus ?? 400;
      res.writeHead(status).end(status === 400 ? 'Invalid request; POST required' : `Method ${req.method} not allowed, POST required.`);
      return;
    }
    let params = request.params;
    if (params.length === 0 && String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) params = envoyParams(body);
    if (params.length === 0) {
      res.writeHead(400).end('usage: /runtime_modify?key1=value1&key2=value2&keyN=valueN\n');
      return;
    }
    const admin = layers.find((l) => l.admin);
    if (!admin) {
      res.writeHead(503).end('No admin layer specified');
      return;
    }
    for (const [key, value] of params) {
      if (value === '') admin.values.delete(key);
      else admin.values.set(key, value);
    }
    applied.push({...request, params});
    res.writeHead(200, {'content-type': 'text/plain'}).end('OK\n');
  };

  const server = await startServer((req, res) => {
    const [path, query = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const request: SeenRequest = {method: req.method ?? '', path, params: envoyParams(query)};
    seen.push(request);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const json = (value: unknown) => res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(value));
      if (path === '/runtime') json(runtimeJson());
      else if (path === '/runtime_modify') modify(req, res, request, Buffer.concat(chunks).toString('utf8'));
      else if (path === '/server_info') json(istioServerInfo(spec.pod, spec.namespace ?? 'shop', spec.workload));
      else if (path === '/config_dump' && spec.configDump !== undefined) configDump(res, spec.configDump, query);
      else if (path === '/stats/prometheus') res.writeHead(200, {'content-type': 'text/plain'}).end('# TYPE envoy_server_uptime gauge\nenvoy_server_uptime 120\n');
      else res.writeHead(404).end();
    });
  }, listen);

  return {
    server,
    url: server.url,
    seen,
    modifies: () => applied,
    overrides: () => Object.fromEntries(layers.find((l) => l.admin)?.values ?? []),
    runtimeJson,
  };
}
