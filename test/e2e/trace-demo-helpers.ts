import {join} from 'node:path';
import type {DemoState} from '../../src/demo/state.js';
import {records, startCollector, type CollectorProcess} from '../tracing/helpers/collector-process.js';
import {demoHome, processesMentioning, readDemoState} from './demo-helpers.js';

/** A span as `trace collect -o json` prints it, the fields these tests read. */
export interface SpanRecord {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  service: string;
  start_time_unix_nano: string;
}

export interface TracedDemo {
  collector: CollectorProcess;
  state: DemoState;
  savePath: string;
  cli: ReturnType<typeof demoHome>['cli'];
  spans(): SpanRecord[];
  stop(): Promise<void>;
}

/**
 * `trace collect` on an ephemeral loopback port, then a demo mesh whose sidecars export to it,
 * each in its own home; `stop()` ends both and kills anything left of the demo.
 */
export async function startTracedDemo(flavor: 'istio' | 'linkerd', demoFlags: string[], lifetimeMs: number): Promise<TracedDemo> {
  const home = demoHome();
  const savePath = join(home.dir, '..', 'spans.otlp');
  const collector = await startCollector(['-o', 'json', '--idle', '1s', '--save', savePath], lifetimeMs);
  // Each flavour exports as its real proxy does: Linkerd over OTLP/gRPC, Istio over OTLP/HTTP.
  const endpoint = flavor === 'linkerd' ? ['--otlp-grpc', collector.grpcAddress!] : ['--otlp-http', collector.url];
  const up = await home.cli(['demo', 'up', '--flavor', flavor, ...endpoint, ...demoFlags], 30_000);
  if (up.code !== 0) {
    await collector.stop('SIGKILL');
    throw new Error(`demo up failed (${up.code}): ${up.stderr}`);
  }
  return {
    collector,
    state: readDemoState(home.dir)!,
    savePath,
    cli: home.cli,
    spans: () => completeRecords(collector.stdout(), 'span') as unknown as SpanRecord[],
    async stop() {
      await home.cli(['demo', 'down']);
      for (const pid of processesMentioning(home.dir)) process.kill(pid, 'SIGKILL');
      await collector.stop();
    },
  };
}

/** The NDJSON records of one type among the lines written so far; a line still being written is left out. */
function completeRecords(stdout: string, type: string): Record<string, unknown>[] {
  return records(stdout.slice(0, stdout.lastIndexOf('\n') + 1), type);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Depth of each span in its trace, by walking parent ids (null: its parent never arrived). */
export function depths(spans: readonly SpanRecord[]): Map<string, number | null> {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  const out = new Map<string, number | null>();
  for (const span of spans) {
    let depth = 0;
    let at: SpanRecord | undefined = span;
    while (at?.parent_span_id) {
      at = byId.get(at.parent_span_id);
      depth++;
      if (!at || depth > spans.length) break;
    }
    out.set(span.span_id, at ? depth : null);
  }
  return out;
}

/** The rows of a waterfall drawn by `trace show`: depth from the tree prefix, service and kind columns. */
export function waterfallRows(text: string): {depth: number; name: string; service: string; kind: string}[] {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => l.startsWith('SPAN '));
  const serviceAt = lines[header].indexOf('SERVICE');
  const kindAt = lines[header].indexOf('KIND');
  const rows = [];
  for (const line of lines.slice(header + 1)) {
    if (line.startsWith('  ') && !/[└├│]/.test(line.slice(0, serviceAt))) break;
    if (line.trim() === '') break;
    const label = line.slice(0, serviceAt);
    const prefix = /^((?:│ | {2})*)([└├] )?/.exec(label)!;
    rows.push({
      depth: prefix[1].length / 2 + (prefix[2] ? 1 : 0),
      name: label.slice(prefix[0].length).trim(),
      service: line.slice(serviceAt, kindAt).trim(),
      kind: line.slice(kindAt).trim().split(/\s+/)[0],
    });
  }
  return rows;
}
