import {join} from 'node:path';
import {context, SpanKind, SpanStatusCode, trace, type Span as ApiSpan} from '@opentelemetry/api';
import {OTLPTraceExporter as GrpcExporter} from '@opentelemetry/exporter-trace-otlp-grpc';
import {OTLPTraceExporter as ProtoExporter} from '@opentelemetry/exporter-trace-otlp-proto';
import {resourceFromAttributes} from '@opentelemetry/resources';
import {BatchSpanProcessor, NodeTracerProvider, type SpanExporter} from '@opentelemetry/sdk-trace-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli, tempDir} from '../helpers/cli.js';
import {killLeftoverCollectors, records, startCollector, type CollectorProcess, type CollectorResult} from '../tracing/helpers/collector-process.js';

/**
 * The official OpenTelemetry JS SDK sends spans to the built `meshctl trace collect`, once
 * with its OTLP/HTTP protobuf exporter and once with its OTLP/gRPC exporter; every field it
 * sent must come back in the NDJSON output.
 */

const T0 = 1_700_000_000;
const at = (ms: number): [number, number] => [T0, ms * 1_000_000 + 7];
const LINKED = {traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true};

interface Sent {
  root: ApiSpan;
  child: ApiSpan;
  kinds: ApiSpan[];
  limited: ApiSpan;
  gzipped: ApiSpan;
}

type Compression = 'none' | 'gzip';
type ExporterFor = (collector: CollectorProcess, compression: Compression) => SpanExporter;

const TRANSPORTS: {transport: string; exporter: ExporterFor}[] = [
  {transport: 'OTLP/HTTP protobuf', exporter: (collector, compression) => new ProtoExporter({url: collector.url, compression: compression as never})},
  {transport: 'OTLP/gRPC', exporter: (collector, compression) => new GrpcExporter({url: `http://${collector.grpcAddress}`, compression: compression as never})},
];

async function sendThroughSdk(exporter: SpanExporter, make: (tracer: ReturnType<NodeTracerProvider['getTracer']>) => void) {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({'service.name': 'sdk-e2e', 'deployment.environment': 'test', 'host.cpus': 4}),
    spanLimits: {attributeCountLimit: 12, eventCountLimit: 2, linkCountLimit: 2},
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  make(provider.getTracer('e2e-scope', '1.2.3', {schemaUrl: 'https://opentelemetry.io/schemas/1.24.0'}));
  await provider.forceFlush();
  await provider.shutdown();
}

afterAll(() => killLeftoverCollectors());

describe.each(TRANSPORTS)('trace collect ← official OpenTelemetry SDK, $transport exporter', ({exporter}) => {
  let result: CollectorResult;
  let sent: Sent;
  const savePath = join(tempDir(), 'sdk.otlp');

  beforeAll(async () => {
    const collector = await startCollector(['-o', 'json', '--idle', '300ms', '--save', savePath]);
    expect(collector.grpcAddress).not.toBeNull();
    try {
      const partial: Partial<Sent> = {};
      await sendThroughSdk(exporter(collector, 'none'), (tracer) => {
        const root = tracer.startSpan('GET /books', {
          kind: SpanKind.SERVER,
          startTime: at(0),
          attributes: {'http.method': 'GET', ok: true, count: 42, ratio: 0.25, tags: ['a', 'b'], codes: [200, 404], flags: [true, false]},
          links: [{context: LINKED, attributes: {why: 'batch'}}],
        });
        root.addEvent('cache miss', {'cache.key': 'k1'}, at(5));
        root.setStatus({code: SpanStatusCode.ERROR, message: 'boom'});
        const parent = trace.setSpan(context.active(), root);
        const child = tracer.startSpan('SELECT books', {kind: SpanKind.CLIENT, startTime: at(10)}, parent);
        child.setStatus({code: SpanStatusCode.OK});
        child.end(at(60));
        const kinds = [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER].map((kind, i) => {
          const span = tracer.startSpan(`kind ${kind}`, {kind, startTime: at(61 + i)}, parent);
          span.end(at(62 + i));
          return span;
        });
        const limited = tracer.startSpan('limited', {startTime: at(70), links: [{context: LINKED}, {context: LINKED}, {context: LINKED}]}, parent);
        for (let i = 0; i < 15; i++) limited.setAttribute(`a${i}`, i);
        for (let i = 0; i < 3; i++) limited.addEvent(`e${i}`, at(71));
        limited.end(at(80));
        root.end(at(100));
        Object.assign(partial, {root, child, kinds, limited});
      });
      await sendThroughSdk(exporter(collector, 'gzip'), (tracer) => {
        const span = tracer.startSpan('gzipped', {startTime: at(0)});
        span.end(at(1));
        partial.gzipped = span;
      });
      sent = partial as Sent;
      await collector.waitFor((out) => records(out, 'span').length === 7 && records(out, 'trace').length >= 2);
    } finally {
      result = await collector.stop();
      killLeftoverCollectors();
    }
  });

  const spanNamed = (name: string): Record<string, unknown> => {
    const found = records(result.stdout, 'span').find((record) => record.name === name);
    if (!found) throw new Error(`no span record named ${name}\n${result.stdout}`);
    return found;
  };

  describe('trace collect receives every field', () => {
    it('prints every span it was sent, once', () => {
      expect(records(result.stdout, 'span').map((record) => record.name).sort()).toEqual(
        ['GET /books', 'SELECT books', 'gzipped', 'kind 0', 'kind 3', 'kind 4', 'limited'].sort(),
      );
    });

    it('decodes ids, parent, kind, exact timestamps and status as sent', () => {
      const ctx = sent.root.spanContext();
      expect(spanNamed('GET /books')).toMatchObject({
        trace_id: ctx.traceId,
        span_id: ctx.spanId,
        parent_span_id: null,
        kind: 'SERVER',
        start_time_unix_nano: '1700000000000000007',
        end_time_unix_nano: '1700000000100000007',
        duration_ms: 100,
        status_code: 'ERROR',
        status_message: 'boom',
        // W3C sampled flag plus OTLP's "parent is-remote known" bit.
        flags: 0x101,
      });
      expect(spanNamed('SELECT books')).toMatchObject({
        trace_id: ctx.traceId,
        span_id: sent.child.spanContext().spanId,
        parent_span_id: ctx.spanId,
        kind: 'CLIENT',
        status_code: 'OK',
      });
      expect(['kind 0', 'kind 3', 'kind 4'].map((name) => spanNamed(name).kind)).toEqual(['INTERNAL', 'PRODUCER', 'CONSUMER']);
    });

    it('decodes attributes of every type the SDK can send', () => {
      expect(spanNamed('GET /books').attributes).toEqual({
        'http.method': 'GET',
        ok: true,
        count: 42,
        ratio: 0.25,
        tags: ['a', 'b'],
        codes: [200, 404],
        flags: [true, false],
      });
    });

    it('decodes events, links and their attributes', () => {
      const root = spanNamed('GET /books');
      expect(root.events).toEqual([{name: 'cache miss', time_unix_nano: '1700000000005000007', attributes: {'cache.key': 'k1'}, dropped_attributes_count: 0}]);
      expect(root.links).toEqual([
        {trace_id: LINKED.traceId, span_id: LINKED.spanId, trace_state: '', flags: 0x301, attributes: {why: 'batch'}, dropped_attributes_count: 0},
      ]);
    });

    it('decodes the dropped counts the SDK reports when limits bite', () => {
      expect(spanNamed('limited')).toMatchObject({dropped_attributes_count: 3, dropped_events_count: 1, dropped_links_count: 1});
    });

    it('decodes resource, scope and schema URL', () => {
      const root = spanNamed('GET /books');
      expect(root.resource).toMatchObject({'service.name': 'sdk-e2e', 'deployment.environment': 'test', 'host.cpus': 4});
      expect(root).toMatchObject({service: 'sdk-e2e', scope_name: 'e2e-scope', scope_version: '1.2.3', scope_schema_url: 'https://opentelemetry.io/schemas/1.24.0'});
    });

    it('accepts the exporter with gzip compression too', () => {
      expect(spanNamed('gzipped').trace_id).toBe(sent.gzipped.spanContext().traceId);
    });

    it('assembles the trace and reports it once quiet, then stops on Ctrl-C with 130', () => {
      const traces = records(result.stdout, 'trace').filter((record) => record.trace_id === sent.root.spanContext().traceId);
      expect(traces[0]).toMatchObject({root_name: 'GET /books', span_count: 6, services: ['sdk-e2e'], duration_ms: 100, complete_reason: 'idle'});
      expect(records(result.stdout, 'stats')).toEqual([expect.objectContaining({spans_received: 7, spans_kept: 7, spans_rejected: 0, requests: 2})]);
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('received 7 spans in 2 requests');
    });
  });

  describe('trace show on what trace collect --save kept', () => {
    it('lists the traces of the capture', async () => {
      const shown = await runCli(['trace', 'show', savePath], {env: {TZ: 'UTC', COLUMNS: '140'}});
      expect(shown.code).toBe(0);
      const lines = shown.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^TRACE ID\s+START\s+ROOT\s+SERVICES\s+SPANS\s+DURATION$/);
      const rootLine = lines.find((line) => line.startsWith(sent.root.spanContext().traceId));
      expect(rootLine).toMatch(/ 22:13:20\.000 +sdk-e2e: GET \/books +sdk-e2e +6 +100ms$/);
      expect(lines).toHaveLength(3);
    });

    it('re-decodes one trace exactly as collect printed it (-o json)', async () => {
      const traceId = sent.root.spanContext().traceId;
      const shown = await runCli(['trace', 'show', savePath, traceId.slice(0, 8), '-o', 'json']);
      expect(shown.code).toBe(0);
      const collected = records(result.stdout, 'span').filter((record) => record.trace_id === traceId);
      expect(records(shown.stdout, 'span')).toEqual(collected);
      expect(records(shown.stdout, 'trace')[0]).toMatchObject({trace_id: traceId, span_count: 6, complete_reason: null});
    });

    it('draws one trace as a waterfall', async () => {
      const shown = await runCli(['trace', 'show', savePath, sent.root.spanContext().traceId, '--no-color'], {env: {COLUMNS: '100'}});
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(new RegExp(`^trace ${sent.root.spanContext().traceId}  GET /books  6 spans  1 service  100ms\n`));
      expect(shown.stdout).toContain('└ limited');
    });
  });
});
