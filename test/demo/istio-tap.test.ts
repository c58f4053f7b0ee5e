import {request} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {getText, podsOf, startTestMesh} from './helpers/mesh.js';

/** Split concatenated JSON objects (Envoy's undelimited tap stream), honouring strings and escapes. */
function splitObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(text.slice(start, i + 1));
  }
  return out;
}

interface TapResult {
  status: number;
  text: string;
  traces: Array<{http_buffered_trace: {request: Record<string, unknown>; response: Record<string, unknown>}}>;
}

/** POST a tap config and read the stream until `count` traces arrived or the response ended. */
function tap(admin: string, body: string, count: number, timeoutMs = 8000): Promise<TapResult> {
  return new Promise((resolve, reject) => {
    const req = request(`${admin}/tap`, {method: 'POST', headers: {'content-type': 'application/json'}}, (res) => {
      let text = '';
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({status: res.statusCode ?? 0, text, traces: res.statusCode === 200 ? splitObjects(text).map((t) => JSON.parse(t)) : []});
      };
      const timer = setTimeout(done, timeoutMs);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (splitObjects(text).length >= count) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const config = (match: unknown, sink: unknown = {streaming_admin: {}}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({config_id: 'meshctl', tap_config: {match, output_config: {sinks: [{format: 'JSON_BODY_AS_BYTES', ...(sink as object)}], ...extra}}});

const headersOf = (m: Record<string, unknown>) => m.headers as Array<{key: string; value: string}>;
const header = (m: Record<string, unknown>, key: string) => headersOf(m).find((h) => h.key === key)?.value;

/** Envoy's admin /tap on the istio flavour's sidecars (config id `meshctl`). */
describe('istio flavour /tap', () => {
  let mesh: RunningMesh;
  let admin: string;

  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'istio', rps: 40, errorRate: 0.4});
    admin = podsOf(mesh, 'webapp')[0].sidecar.endpoints().admin!;
  });
  afterAll(() => mesh?.stop());

  it('streams buffered traces as pretty JSON with one-space indentation and no separator', async () => {
    const result = await tap(admin, config({any_match: true}), 3);
    expect(result.status).toBe(200);
    expect(result.traces.length).toBeGreaterThanOrEqual(3);
    expect(result.text.startsWith('{\n "http_buffered_trace": {\n  "request": {\n   "headers": [\n    {\n     "key": ')).toBe(true);
    expect(result.text).toMatch(/\}\{\n "http_buffered_trace"/);
    const {request: req, response: res} = result.traces[0].http_buffered_trace;
    expect(headersOf(req).slice(0, 4).map((h) => h.key)).toEqual([':authority', ':path', ':method', ':scheme']);
    expect(headersOf(res)[0].key).toBe(':status');
    expect(header(res, 'x-envoy-upstream-service-time')).toMatch(/^\d+$/);
    expect(req.trailers).toEqual([]);
    expect(Date.parse(String(req.headers_received_time))).not.toBeNaN();
  });

  it.skipIf(!HAVE_SHARED_FIXTURES)('has the shape of a real Envoy admin tap trace', async () => {
    const real = JSON.parse(readSharedFixture('envoy/envoy-admin-tap-stream.buffered-trace.json'));
    const match = {and_match: {rules: [{http_request_headers_match: {headers: [{name: ':path', string_match: {prefix: '/books/'}}]}}, {http_response_headers_match: {headers: [{name: ':status', exact_match: '200'}]}}]}};
    const [trace] = (await tap(admin, config(match), 1)).traces;
    expect(Object.keys(trace)).toEqual(Object.keys(real));
    const realMessage = real.http_buffered_trace.response;
    const ours = trace.http_buffered_trace.response;
    expect(Object.keys(ours).filter((k) => k !== 'headers_received_time')).toEqual(Object.keys(realMessage));
    expect(Object.keys(ours.body as object)).toEqual(Object.keys(realMessage.body));
    expect(Object.keys(headersOf(ours)[0])).toEqual(Object.keys(realMessage.headers[0]));
  });

  it('allows one attached stream per proxy, with Envoy\'s error', async () => {
    const first = tap(admin, config({any_match: true}), 1000, 1500);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await tap(admin, config({any_match: true}), 1, 1000);
    expect(second.status).toBe(400);
    expect(second.text).toBe('An attached /tap admin stream already exists. Detach it.');
    await first;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Closing the stream detaches it.
    expect((await tap(admin, config({any_match: true}), 1)).status).toBe(200);
  });

  it('matches on request and response headers', async () => {
    const books = await tap(admin, config({http_request_headers_match: {headers: [{name: ':path', string_match: {prefix: '/books'}}]}}), 4);
    expect(books.traces.length).toBeGreaterThan(0);
    expect(books.traces.every((t) => header(t.http_buffered_trace.request, ':path')!.startsWith('/books'))).toBe(true);
    const failed = await tap(admin, config({and_match: {rules: [{http_response_headers_match: {headers: [{name: ':status', exact_match: '500'}]}}, {not_match: {http_request_headers_match: {headers: [{name: ':method', safe_regex_match: {regex: 'GET|HEAD'}}]}}}]}}), 2);
    expect(failed.traces.length).toBeGreaterThan(0);
    for (const t of failed.traces) {
      expect(header(t.http_buffered_trace.response, ':status')).toBe('500');
      expect(['GET', 'HEAD']).not.toContain(header(t.http_buffered_trace.request, ':method'));
    }
  });

  it('ends a buffered_admin tap after max_traces', async () => {
    const result = await tap(admin, config({any_match: true}, {buffered_admin: {max_traces: 2, timeout: '5s'}}), 99);
    expect(result.traces).toHaveLength(2);
  });

  it('honours the body format and max_buffered_tx_bytes', async () => {
    const asString = JSON.stringify({config_id: 'meshctl', tap_config: {match: {any_match: true}, output_config: {sinks: [{format: 'JSON_BODY_AS_STRING', streaming_admin: {}}], max_buffered_tx_bytes: 10}}});
    const [trace] = (await tap(admin, asString, 1)).traces;
    const body = trace.http_buffered_trace.response.body as {truncated: boolean; as_string: string};
    expect(body.as_string.length).toBeLessThanOrEqual(10);
    expect(body.truncated).toBe(true);
  });

  it('accepts YAML', async () => {
    const yaml = 'config_id: meshctl\ntap_config:\n  match:\n    any_match: true\n  output_config:\n    sinks:\n      - streaming_admin: {}\n';
    expect((await tap(admin, yaml, 1)).traces).toHaveLength(1);
  });

  it('rejects bad requests with Envoy\'s errors', async () => {
    expect(await tap(admin, '', 1)).toMatchObject({status: 400, text: '/tap requires a JSON/YAML body'});
    expect(await tap(admin, JSON.stringify({config_id: 'other', tap_config: JSON.parse(config({any_match: true})).tap_config}), 1)).toMatchObject({
      status: 400,
      text: "Unknown config id 'other'. No extension has registered with this id.",
    });
    const twoSinks = JSON.stringify({config_id: 'meshctl', tap_config: {match: {any_match: true}, output_config: {sinks: [{streaming_admin: {}}, {streaming_admin: {}}]}}});
    expect((await tap(admin, twoSinks, 1)).text).toContain('exactly 1 item(s)');
    expect((await tap(admin, config({any_match: true}, {format: 'PROTO_BINARY', streaming_admin: {}}), 1)).text).toBe('admin output only supports JSON formats');
    expect((await tap(admin, JSON.stringify({config_id: 'meshctl', tap_config: {}, extra: 1}), 1)).text).toContain('has unknown fields');
    expect((await tap(admin, config({http_request_headers_match: {headers: [{name: ':path', safe_regex_match: {regex: '('}}]}}), 1)).status).toBe(400);
  });

  it('tells nothing when the stats listener is asked for /tap', async () => {
    expect((await getText(`${podsOf(mesh, 'webapp')[0].sidecar.endpoints().url}/tap`, {method: 'POST', body: '{}'})).status).toBe(404);
  });
});
