import {gunzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {getText, podsOf, startTestMesh} from './helpers/mesh.js';
import {label, parseExposition} from './helpers/prom.js';

/** The linkerd flavour's admin server behaves like linkerd2-proxy's (linkerd/app/admin/src/server.rs). */
describe('linkerd flavour admin API', () => {
  let mesh: RunningMesh;
  let admin: string;
  let pod: string;

  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'linkerd', rps: 5});
    const webapp = podsOf(mesh, 'webapp')[0];
    admin = webapp.sidecar.endpoints().url;
    pod = webapp.info.name;
  });
  afterAll(() => mesh?.stop());

  it('answers probes with the real bodies', async () => {
    expect(await getText(`${admin}/ready`)).toMatchObject({status: 200, text: 'ready\n'});
    expect(await getText(`${admin}/live`)).toMatchObject({status: 200, text: 'live\n'});
    expect((await getText(`${admin}/nope`)).status).toBe(404);
  });

  it('serves /env.json with the identity fields meshctl reads', async () => {
    const res = await getText(`${admin}/env.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const env = JSON.parse(res.text) as Record<string, string>;
    expect(env._pod_name).toBe(pod);
    expect(env._pod_ns).toBe('booksapp');
    expect(env._pod_sa).toBe('webapp');
    expect(env.LINKERD2_PROXY_POLICY_WORKLOAD).toBe(`{"ns":"booksapp", "pod":"${pod}"}\n`);
    expect(env.LINKERD2_PROXY_DESTINATION_CONTEXT).toMatch(new RegExp(`^\\{"ns":"booksapp", "nodeName":"[^"]+", "pod":"${pod}"\\}\\n$`));
    expect(env.LINKERD2_PROXY_IDENTITY_LOCAL_NAME).toBe('webapp.booksapp.serviceaccount.identity.linkerd.cluster.local');
    expect(env.LINKERD2_PROXY_ADMIN_LISTEN_ADDR).toBe(new URL(admin).host);
    expect(env.LINKERD2_PROXY_TRACE_PROTOCOL).toBe('opentelemetry');
    expect(env.LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR).toBe('127.0.0.1:9');
    // The pod name follows Kubernetes' Deployment naming, so the workload can be derived from it.
    expect(pod).toMatch(/^webapp-[bcdfghjklmnpqrstvwxz2456789]{9,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('answers /env.json queries and refuses what the proxy refuses', async () => {
    const picked = await getText(`${admin}/env.json?_pod_ns&NOPE`);
    expect(JSON.parse(picked.text)).toEqual({_pod_ns: 'booksapp', NOPE: null});
    expect((await getText(`${admin}/env.json?a=b`)).status).toBe(400);
    expect((await getText(`${admin}/env.json`, {method: 'POST'})).status).toBe(405);
    expect((await getText(`${admin}/env.json`, {headers: {accept: 'text/html'}})).status).toBe(406);
  });

  it('reads and changes the log level, validating the filter', async () => {
    expect((await getText(`${admin}/proxy-log-level`)).text).toMatch(/^warn,linkerd=info/);
    expect((await getText(`${admin}/proxy-log-level`, {method: 'PUT', body: 'linkerd=debug,warn'})).status).toBe(204);
    expect((await getText(`${admin}/proxy-log-level`)).text).toBe('linkerd=debug,warn');
    expect((await getText(`${admin}/proxy-log-level`, {method: 'PUT', body: 'linkerd=loud'})).status).toBe(400);
    const post = await getText(`${admin}/proxy-log-level`, {method: 'POST', body: 'x'});
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, PUT');
  });

  it('keeps /shutdown disabled, as injected proxies do by default', async () => {
    expect(await getText(`${admin}/shutdown`, {method: 'POST'})).toMatchObject({status: 404, text: 'shutdown endpoint is not enabled\n'});
    expect((await getText(`${admin}/shutdown`)).status).toBe(405);
  });

  it('gzips /metrics when asked, and counts admin requests on the admin port like the proxy', async () => {
    const res = await fetch(`${admin}/metrics`, {headers: {'accept-encoding': 'gzip'}});
    expect(res.headers.get('content-encoding')).toBe('gzip');
    // fetch decodes gzip itself; check the raw bytes another way:
    const raw = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({get}) =>
        get(`${admin}/metrics`, {headers: {'accept-encoding': 'gzip'}}, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    const text = gunzipSync(raw).toString('utf8');
    const adminPort = new URL(admin).port;
    const probes = parseExposition(text).samples.filter((s) => s.name === 'request_total' && label(s, 'target_port') === adminPort);
    expect(probes.map((s) => label(s, 'route_name')).sort()).toContain('probe');
    expect(probes.every((s) => label(s, 'tls') === 'no_identity' && label(s, 'no_tls_reason') === 'no_tls_from_remote')).toBe(true);
  });
});
