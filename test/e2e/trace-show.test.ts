import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli, tempDir} from '../helpers/cli.js';
import {records} from '../tracing/helpers/collector-process.js';
import {protobufRequest, type SpanSpec} from '../tracing/helpers/sdk-spans.js';

/** Capture files built by hand from the documented layout, so `show` is tested on its own. */
const MAGIC = Buffer.from('meshctl-otlp-v1\n');

function record(kind: 'P' | 'J', payload: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.write(kind, 0, 'ascii');
  header.writeBigUInt64BE(1700000000000n, 1);
  header.writeUInt32BE(payload.length, 9);
  return Buffer.concat([header, payload]);
}

function captureFile(...parts: Buffer[]): string {
  const path = join(tempDir(), 'capture.otlp');
  writeFileSync(path, Buffer.concat([MAGIC, ...parts]));
  return path;
}

const A = 'abc00000000000000000000000000001';
const B = 'abc00000000000000000000000000002';
const C = 'fff00000000000000000000000000003';

function span(traceId: string, id: string, name: string, startMs: number, endMs: number, parent?: string): SpanSpec {
  return {traceId, spanId: id.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), name, start: [1700000000, startMs * 1e6], end: [1700000000, endMs * 1e6]};
}

const protobuf = record(
  'P',
  protobufRequest({attributes: {'service.name': 'web'}}, {name: 's'}, [span(A, '1', 'GET /a', 0, 50), span(A, '2', 'child', 10, 20, '1'), span(B, '1', 'GET /b', 100, 130)]),
);
const json = record(
  'J',
  new TextEncoder().encode(
    JSON.stringify({
      resourceSpans: [
        {
          resource: {attributes: [{key: 'service.name', value: {stringValue: 'api'}}]},
          scopeSpans: [{spans: [{traceId: C, spanId: '0000000000000009', parentSpanId: '00000000000000ff', name: 'orphan', startTimeUnixNano: '1700000000200000000', endTimeUnixNano: '1700000000210000000'}]}],
        },
      ],
    }),
  ),
);

describe('trace show', () => {
  it('lists every trace of a capture, both encodings, in start order', async () => {
    const result = await runCli(['trace', 'show', captureFile(protobuf, json)], {env: {COLUMNS: '120'}});
    expect(result.code).toBe(0);
    // 120 columns: id 32, start 12, spans 5, duration 8, five gaps; root and services share the 58 left.
    const row = (id: string, start: string, root: string, services: string, spans: string, duration: string) =>
      [id.padEnd(32), start.padEnd(12), root.padEnd(29), services.padEnd(29), spans.padStart(5), duration.padStart(8)].join(' ');
    expect(result.stdout.split('\n')).toEqual([
      row('TRACE ID', 'START', 'ROOT', 'SERVICES', 'SPANS', 'DURATION'),
      row(A, '22:13:20.000', 'web: GET /a', 'web', '2', '50.0ms'),
      row(B, '22:13:20.100', 'web: GET /b', 'web', '1', '30.0ms'),
      row(C, '22:13:20.200', '? api: orphan', 'api', '1', '10.0ms'),
      '  ? root span not received: the earliest span is shown',
      '',
    ]);
  });

  it('lists as NDJSON trace_summary records with -o json', async () => {
    const result = await runCli(['trace', 'show', captureFile(protobuf, json), '-o', 'json']);
    const summaries = records(result.stdout, 'trace_summary');
    expect(summaries.map((s) => [s.trace_id, s.root_name, s.span_count, s.duration_ms, s.root_received])).toEqual([
      [A, 'GET /a', 2, 50, true],
      [B, 'GET /b', 1, 30, true],
      [C, 'orphan', 1, 10, false],
    ]);
  });

  it('draws one trace chosen by a unique id prefix', async () => {
    const result = await runCli(['trace', 'show', captureFile(protobuf, json), 'FFF', '--no-color']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`trace ${C}  orphan  1 span  1 service  10.0ms`);
    expect(result.stdout).toContain('? orphan');
  });

  it('refuses an ambiguous prefix, an unknown id and a malformed id', async () => {
    const path = captureFile(protobuf);
    const ambiguous = await runCli(['trace', 'show', path, 'abc']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(`meshctl: trace id abc is ambiguous in ${path}: ${A}, ${B}`);
    const unknown = await runCli(['trace', 'show', path, '0123']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`meshctl: no trace 0123 in ${path}`);
    const malformed = await runCli(['trace', 'show', path, 'not-hex']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('invalid trace id "not-hex"');
  });

  it('shows what it can of a capture cut short, with a warning and exit 0', async () => {
    const cut = record('P', new Uint8Array(40)).subarray(0, 20);
    const result = await runCli(['trace', 'show', captureFile(protobuf, cut)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(A);
    expect(result.stderr).toContain(`incomplete last record at byte ${16 + protobuf.length} (40 bytes announced, 7 present)`);
  });

  it('exits 3 when part of the capture is damaged, after showing the rest', async () => {
    const garbage = record('P', Uint8Array.from([0x0a, 0x96]));
    const damaged = await runCli(['trace', 'show', captureFile(protobuf, garbage)]);
    expect(damaged.code).toBe(3);
    expect(damaged.stdout).toContain(A);
    expect(damaged.stderr).toMatch(/record at byte \d+ does not decode: resource_spans\[0\]: truncated varint/);
    const corrupt = await runCli(['trace', 'show', captureFile(protobuf, Buffer.from('Xgarbage-header'))]);
    expect(corrupt.code).toBe(3);
    expect(corrupt.stderr).toMatch(/corrupt record at byte \d+/);
  });

  it('refuses a missing file and a file that is not a capture, with exit 1', async () => {
    const missing = await runCli(['trace', 'show', join(tempDir(), 'nope.otlp')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.otlp: no such file/);
    const other = join(tempDir(), 'other.txt');
    writeFileSync(other, 'just text');
    const notCapture = await runCli(['trace', 'show', other]);
    expect(notCapture.code).toBe(1);
    expect(notCapture.stderr).toContain('is not a meshctl trace capture');
  });
});
