import type {ChalkInstance} from 'chalk';
import type {Io} from '../commands/context.js';
import {UsageError, UserError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import {sanitize} from '../render/sanitize.js';
import {readCapture} from './capture-file.js';
import type {Span} from './model.js';
import {decodeTraceRequest, OtlpDecodeError} from './otlp/decode.js';
import {ndjsonLine, spanRecord, traceRecord, traceSummaryRecord} from './render/records.js';
import {renderTraceList} from './render/trace-list.js';
import {renderWaterfall} from './render/waterfall.js';
import {summarizeTrace, TraceSummaryBuilder} from './summary.js';

export interface ShowOptions {
  file: string;
  /** A trace id or a unique prefix of one (hex). */
  traceId?: string;
  output: 'table' | 'json';
  width: number;
  chalk: ChalkInstance;
  errChalk: ChalkInstance;
}

/**
 * `trace show FILE [TRACE_ID]`: re-decode a capture written by `trace collect --save` and list
 * its traces, or draw one. Only what the answer needs is kept: per-trace summaries for the
 * list, the spans of the matching trace(s) for one trace. Returns the exit code: 3 when part
 * of the file could not be read or decoded (the rest was shown).
 */
export function show(io: Io, options: ShowOptions): number {
  const prefix = options.traceId?.toLowerCase();
  if (prefix !== undefined && !/^[0-9a-f]{1,32}$/.test(prefix)) {
    throw new UsageError(`invalid trace id "${options.traceId}"`, 'give the trace id in hex, or the start of it (as printed by trace collect)');
  }
  const warn = (message: string) => io.stderr.write(`${options.errChalk.yellow('meshctl:')} ${sanitize(message)}\n`);
  const summaries = new Map<string, TraceSummaryBuilder>();
  const matches = new Map<string, Map<string, Span>>();
  let damaged = false;
  let rejected = 0;

  for (const item of readCapture(options.file)) {
    if ('message' in item) {
      warn(`${options.file}: ${item.message}${item.truncated ? ' (skipped; the collector was probably stopped while writing)' : ''}`);
      damaged ||= !item.truncated;
      continue;
    }
    let spans: Span[];
    try {
      const result = decodeTraceRequest(item.payload, item.encoding);
      spans = result.spans;
      rejected += result.rejectedSpans;
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      warn(`${options.file}: record at byte ${item.offset} does not decode: ${error.message}`);
      damaged = true;
      continue;
    }
    for (const span of spans) {
      if (prefix === undefined) {
        let builder = summaries.get(span.traceId);
        if (!builder) summaries.set(span.traceId, (builder = new TraceSummaryBuilder(span.traceId)));
        builder.add(span);
      } else if (span.traceId.startsWith(prefix)) {
        let spansById = matches.get(span.traceId);
        if (!spansById) matches.set(span.traceId, (spansById = new Map()));
        // A client's retry sends the same span again: keep one.
        spansById.set(span.spanId, span);
      }
    }
  }
  if (rejected > 0) warn(`${rejected} spans in ${options.file} were rejected when received and are not shown`);

  if (prefix === undefined) printList(io, options, [...summaries.values()].map((builder) => builder.result()));
  else printOne(io, options, prefix, matches);
  return damaged ? EXIT.PARTIAL : EXIT.OK;
}

function printList(io: Io, options: ShowOptions, summaries: ReturnType<TraceSummaryBuilder['result']>[]): void {
  summaries.sort((a, b) => (a.startUnixNano < b.startUnixNano ? -1 : a.startUnixNano > b.startUnixNano ? 1 : 0));
  if (options.output === 'json') {
    io.stdout.write(summaries.map((summary) => ndjsonLine(traceSummaryRecord(summary))).join(''));
  } else if (summaries.length === 0) {
    io.stderr.write(`no traces in ${sanitize(options.file)}\n`);
  } else {
    io.stdout.write(renderTraceList(summaries, options.width));
  }
}

function printOne(io: Io, options: ShowOptions, prefix: string, matches: Map<string, Map<string, Span>>): void {
  if (matches.size === 0) throw new UserError(`no trace ${prefix} in ${options.file}`, {hint: `list the traces with: meshctl trace show ${options.file}`});
  if (matches.size > 1) {
    const ids = [...matches.keys()].sort();
    throw new UserError(`trace id ${prefix} is ambiguous in ${options.file}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`, {
      hint: 'give more of the id',
    });
  }
  const [traceId, spansById] = [...matches.entries()][0];
  const spans = [...spansById.values()];
  if (options.output === 'json') {
    const summary = summarizeTrace(traceId, spans);
    const lines = spans.map((span) => ndjsonLine(spanRecord(span)));
    lines.push(ndjsonLine(traceRecord({spans, droppedSpans: 0, revision: 0, reason: null}, summary)));
    io.stdout.write(lines.join(''));
  } else {
    io.stdout.write(renderWaterfall(traceId, spans, {width: options.width, chalk: options.chalk}));
  }
}
