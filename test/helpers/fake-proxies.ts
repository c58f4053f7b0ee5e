import type {IncomingMessage, ServerResponse} from 'node:http';
import {gzipSync} from 'node:zlib';
import {routes, startServer, type TestServer} from './servers.js';

export interface FakeLinkerd {
  /** Body served at /metrics (called per request, so counters can advance). */
  metrics: () => string;
  /** /env.json body; null → 404, as proxies older than 2.12 answer. */
  env?: Record<string, string> | null;
  ready?: boolean;
  gzip?: boolean;
}

/** A loopback admin port speaking linkerd2-proxy's admin API: /metrics, /env.json, /ready. */
export function fakeLinkerd(spec: FakeLinkerd): Promise<TestServer> {
  return startServer(linkerdAdmin(spec));
}

/** The request handler of a fake linkerd2-proxy admin port (for servers of other kinds). */
export function linkerdAdmin(spec: FakeLinkerd): (req: IncomingMessage, res: ServerResponse) => void {
  return routes({
    '/metrics': (req, res) => {
      res.setHeader('content-type', 'text/plain');
      const body = spec.metrics();
      if (spec.gzip && String(req.headers['accept-encoding'] ?? '').includes('gzip')) {
        res.setHeader('content-encoding', 'gzip');
        res.end(gzipSync(body));
      } else res.end(body);
    },
    '/env.json': (_req, res) => {
      if (spec.env === null) {
        res.statusCode = 404;
        return res.end();
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(spec.env ?? {}));
    },
    '/ready': (_req, res) => {
      res.statusCode = spec.ready === false ? 503 : 200;
      res.end(spec.ready === false ? 'not ready\n' : 'ready\n');
    },
  });
}

/** env.json of an injected pod, as the current proxy injector writes it. */
export function linkerdEnv(pod: string, namespace: string, serviceAccount = 'default'): Record<string, string> {
  return {
    _pod_name: pod,
    _pod_ns: namespace,
    _pod_sa: serviceAccount,
    LINKERD2_PROXY_DESTINATION_CONTEXT: `{"ns":"${namespace}", "nodeName":"node-1", "pod":"${pod}"}\n`,
    LINKERD2_PROXY_POLICY_WORKLOAD: `{"ns":"${namespace}", "pod":"${pod}"}\n`,
    LINKERD2_PROXY_IDENTITY_LOCAL_NAME: `${serviceAccount}.${namespace}.serviceaccount.identity.linkerd.cluster.local`,
  };
}

export interface FakeEnvoy {
  stats: () => string;
  serverInfo?: Record<string, unknown> | null;
}

/** A loopback Envoy admin port: /stats/prometheus, /server_info, /ready. */
export function fakeEnvoy(spec: FakeEnvoy): Promise<TestServer> {
  return startServer(
    routes({
      '/stats/prometheus': (_req, res) => {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end(spec.stats());
      },
      '/server_info': (_req, res) => {
        if (spec.serverInfo === null) {
          res.statusCode = 404;
          return res.end();
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(spec.serverInfo ?? {}));
      },
      '/ready': (_req, res) => res.end('LIVE\n'),
    }),
  );
}

export function istioServerInfo(pod: string, namespace: string, workload: string, podIp = '10.0.0.7'): Record<string, unknown> {
  return {
    version: '0f63a1b0d7b4c1bb1d2b8c1b8b8b8b8b8b8b8b8b/1.29.1/Clean/RELEASE/BoringSSL',
    state: 'LIVE',
    uptime_current_epoch: '3600s',
    node: {
      id: `sidecar~${podIp}~${pod}.${namespace}~${namespace}.svc.cluster.local`,
      cluster: `${workload}.${namespace}`,
      metadata: {NAME: pod, NAMESPACE: namespace, WORKLOAD_NAME: workload, SERVICE_ACCOUNT: workload, ISTIO_VERSION: '1.24.0'},
    },
  };
}
