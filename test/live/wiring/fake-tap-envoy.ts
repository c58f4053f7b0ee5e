import type {ServerResponse} from 'node:http';
import {istioInbound} from '../../helpers/exposition.js';
import {istioServerInfo} from '../../helpers/fake-proxies.js';
import {routes, sendJson, startServer, type TestServer} from '../../helpers/servers.js';

/**
 * A loopback Envoy admin port with the admin `/tap` handler, behaving as Envoy's
 * source/extensions/common/tap/admin.cc does: POST only, a JSON body naming a registered
 * `config_id`, at most one attached stream (a second gets HTTP 400 with Envoy's exact
 * message), and traces written as pretty-printed JSON (one-space indent) back to back with
 * no delimiter on an unterminated chunked response. Like a loose Envoy, it does not apply
 * the match itself: the tests check that meshctl filters on its side too.
 */
export interface FakeTapEnvoy extends TestServer {
  pod: string;
  namespace: string;
  workload: string;
  /** Node id as Istio's metadata exchange sends it in `x-envoy-peer-metadata-id`. */
  nodeId: string;
  /** Bodies of every POST /tap received, parsed. */
  tapRequests: Record<string, unknown>[];
  /** Whether a /tap stream is attached now. */
  attached(): boolean;
  /** Resolves once a /tap stream is attached. */
  whenAttached(timeoutMs?: number): Promise<void>;
  /** Resolves once the attached stream has gone (the client closed it). */
  whenDetached(timeoutMs?: number): Promise<void>;
  /** Write one trace (an object, or raw text) to the attached stream, split into `pieces` writes. */
  emit(trace: unknown, pieces?: number): void;
  /** Cut the attached stream's connection without ending the response. */
  drop(): void;
}

export interface FakeTapEnvoyOptions {
  pod: string;
  namespace: string;
  workload: string;
  /** Config ids a tap filter registered; default `meshctl`. */
  configIds?: string[];
  /** The IP in the node id; every fake shares 10.0.0.7 unless told, so none can be named by address. */
  podIp?: string;
  /** Refuse `string_match` header matchers as an Envoy older than 1.20 does. */
  legacyOnly?: boolean;
}

export const BUSY_MESSAGE = 'An attached /tap admin stream already exists. Detach it.';

export async function fakeTapEnvoy(options: FakeTapEnvoyOptions): Promise<FakeTapEnvoy> {
  const {pod, namespace, workload} = options;
  const podIp = options.podIp ?? '10.0.0.7';
  const configIds = options.configIds ?? ['meshctl'];
  const tapRequests: Record<string, unknown>[] = [];
  let stream: ServerResponse | null = null;
  const refuse = (res: ServerResponse, message: string) => {
    res.writeHead(400, {'content-type': 'text/plain'});
    res.end(message);
  };
  const server = await startServer(
    routes({
      '/stats/prometheus': (_req, res) => res.end(istioInbound(workload, namespace, [], 1, 3600)),
      '/server_info': sendJson(istioServerInfo(pod, namespace, workload, podIp)),
      '/ready': (_req, res) => res.end('LIVE\n'),
      '/tap': (req, res) => {
        if (req.method !== 'POST') return refuse(res, 'This endpoint needs a POST');
        let body = '';
        req.setEncoding('utf8').on('data', (d: string) => (body += d));
        req.on('end', () => {
          if (stream) return refuse(res, BUSY_MESSAGE);
          if (body.trim() === '') return refuse(res, '/tap requires a JSON/YAML body');
          const parsed = JSON.parse(body) as Record<string, unknown>;
          tapRequests.push(parsed);
          if (options.legacyOnly && body.includes('string_match')) {
            return refuse(res, 'Unable to parse JSON as proto (INVALID_ARGUMENT:(tap_config.match) string_match: Cannot find field.)');
          }
          if (!configIds.includes(String(parsed.config_id))) {
            return refuse(res, `Unknown config id '${String(parsed.config_id)}'. No extension has registered with this id.`);
          }
          res.writeHead(200, {'content-type': 'application/json'});
          res.flushHeaders();
          stream = res;
          res.on('close', () => {
            if (stream === res) stream = null;
          });
        });
      },
    }),
  );
  const waitUntil = async (condition: () => boolean, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`fake envoy ${pod}: timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    ...server,
    pod,
    namespace,
    workload,
    nodeId: `sidecar~${podIp}~${pod}.${namespace}~${namespace}.svc.cluster.local`,
    tapRequests,
    attached: () => stream !== null,
    whenAttached: (timeoutMs = 10_000) => waitUntil(() => stream !== null, timeoutMs, 'a /tap stream is attached'),
    whenDetached: (timeoutMs = 10_000) => waitUntil(() => stream === null, timeoutMs, 'the /tap stream is detached'),
    emit(trace, pieces = 1) {
      if (!stream) throw new Error(`fake envoy ${pod}: no /tap stream attached`);
      const text = typeof trace === 'string' ? trace : JSON.stringify(trace, null, 1);
      const size = Math.ceil(text.length / pieces);
      for (let i = 0; i < text.length; i += size) stream.write(text.slice(i, i + size));
    },
    drop() {
      stream?.socket?.destroy();
    },
  };
}

/**
 * Fake Envoys in namespace `shop`, each with its own pod IP, closed together after each test:
 * `const envoys = podEnvoys(); afterEach(envoys.closeAll)`.
 */
export function podEnvoys() {
  const started: FakeTapEnvoy[] = [];
  return {
    started,
    async start(pod: string, workload: string, podIp: string): Promise<FakeTapEnvoy> {
      const server = await fakeTapEnvoy({pod, workload, namespace: 'shop', podIp});
      started.push(server);
      return server;
    },
    closeAll: async () => {
      await Promise.all(started.splice(0).map((s) => s.close()));
    },
    urls: () => started.map((s) => s.url).join(','),
  };
}
