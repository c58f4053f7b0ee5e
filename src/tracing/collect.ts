import {once} from 'node:events';
import type {ChalkInstance} from 'chalk';
import type {Io} from '../commands/context.js';
import {sanitize} from '../render/sanitize.js';
import {TraceAssembler, type AssembledTrace, type AssemblerLimits} from './assembler.js';
import {CaptureWriter} from './capture-file.js';
import type {ListenAddress} from './listen-address.js';
import type {ReceivedBatch, ReceiverProblem} from './intake.js';
import {startReceivers} from './receivers.js';
import {ndjsonLine, spanRecord, statsRecord, traceRecord, type CollectCounts} from './render/records.js';
import {spanLine, spanLineHeader} from './render/span-line.js';
import {renderWaterfall} from './render/waterfall.js';
import {summarizeTrace} from './summary.js';

export interface CollectOptions {
  listen: ListenAddress;
  /** OTLP/gRPC too, unless null; `optional`: a port already in use is a notice, not an error. */
  grpc: {listen: ListenAddress; optional: boolean} | null;
  output: 'table' | 'json';
  limits: AssemblerLimits;
  maxBodyBytes: number;
  savePath?: string;
  /** Asked again for every output, so a resized terminal is followed. */
  width: () => number;
  chalk: ChalkInstance;
  errChalk: ChalkInstance;
}

/** Notes for a waterfall's title line: why it is shown now and what it may lack. */
export function traceNotes(trace: Pick<AssembledTrace, 'reason' | 'revision' | 'droppedSpans'>): string[] {
  const notes: string[] = [];
  if (trace.revision > 0) notes.push(`(updated: late spans, shown ${trace.revision + 1} times)`);
  if (trace.reason === 'evicted') notes.push('(shown early: room was needed for newer traces)');
  if (trace.reason === 'flushed') notes.push('(still open at exit: may be incomplete)');
  if (trace.droppedSpans > 0) notes.push(`(${trace.droppedSpans} spans dropped: --max-spans-per-trace)`);
  return notes;
}

/**
 * Run the collector until `signal` aborts (Ctrl-C) or stdout goes away: print each span as it
 * arrives, a waterfall (or `trace` record) per completed trace, keep the raw payloads with
 * --save, and on the way out show what is still open and the counters.
 */
export async function collect(io: Io, signal: AbortSignal, options: CollectOptions): Promise<'interrupted' | 'stdout closed'> {
  const stop = new AbortController();
  let stdoutClosed = false;
  const onAbort = () => stop.abort();
  // stdout closed under us (e.g. piped into `head`): stop as on Ctrl-C.
  const onStdoutError = () => {
    stdoutClosed = true;
    stop.abort();
  };
  signal.addEventListener('abort', onAbort, {once: true});
  if (signal.aborted) stop.abort();
  io.stdout.on('error', onStdoutError);
  try {
    await serve(io, stop.signal, options);
  } finally {
    signal.removeEventListener('abort', onAbort);
    io.stdout.off('error', onStdoutError);
    // A closed pipe may still report late write errors; they are expected now.
    if (stdoutClosed) io.stdout.on('error', () => {});
  }
  return stdoutClosed ? 'stdout closed' : 'interrupted';
}

async function serve(io: Io, stop: AbortSignal, options: CollectOptions): Promise<void> {
  const warn = (message: string) => io.stderr.write(`${options.errChalk.yellow('meshctl:')} ${sanitize(message)}\n`);
  const json = options.output === 'json';
  const counts: CollectCounts = {requests: 0, spansReceived: 0, spansRejected: 0};

  const saved = options.savePath ? CaptureWriter.open(options.savePath) : undefined;
  if (saved?.warning) warn(saved.warning);

  const assembler = new TraceAssembler(
    options.limits,
    (trace) => {
      const summary = summarizeTrace(trace.traceId, trace.spans);
      io.stdout.write(
        json
          ? ndjsonLine(traceRecord(trace, summary))
          : `\n${renderWaterfall(trace.traceId, trace.spans, {width: options.width(), chalk: options.chalk, notes: traceNotes(trace)})}\n`,
      );
    },
    (traceId, reason) => warn(`trace ${traceId}: ${reason}`),
  );

  const onBatch = async (batch: ReceivedBatch) => {
    // Keep the payload first: if that fails the client gets a 503 and sends it again.
    saved?.writer.append(batch.encoding, batch.body, Date.now());
    counts.requests++;
    counts.spansReceived += batch.result.spans.length;
    counts.spansRejected += batch.result.rejectedSpans;
    let text = '';
    const width = options.width();
    for (const span of batch.result.spans) text += json ? ndjsonLine(spanRecord(span)) : `${spanLine(span, width, options.chalk)}\n`;
    const flowing = text === '' || io.stdout.write(text);
    assembler.add(batch.result.spans);
    // A slow reader of stdout slows the clients down instead of growing a buffer here.
    if (!flowing && !stop.aborted) await once(io.stdout, 'drain', {signal: stop}).catch(() => {});
  };
  const onProblem = (problem: ReceiverProblem) => {
    if (problem.refused) counts.requests++;
    warn(`${problem.client}: ${problem.refused ? problem.status : 'partial success'} ${problem.message}`);
  };

  let receivers;
  try {
    receivers = await startReceivers({http: options.listen, grpc: options.grpc, maxBodyBytes: options.maxBodyBytes, onBatch, onProblem}, warn);
  } catch (error) {
    saved?.writer.close();
    throw error;
  }
  io.stderr.write(receivers.banner);
  if (saved) io.stderr.write(`saving raw OTLP to ${sanitize(saved.writer.path)}\n`);
  if (!json) io.stdout.write(`${spanLineHeader(options.width())}\n`);

  const ticker = setInterval(() => assembler.tick(), Math.max(20, Math.min(250, options.limits.idleMs / 4)));
  try {
    if (!stop.aborted) await once(stop, 'abort');
  } finally {
    clearInterval(ticker);
    await receivers.close();
    if (io.stdout.writable) assembler.flush();
    saved?.writer.close();
    const stats = {...assembler.stats, ...counts};
    if (json && io.stdout.writable) io.stdout.write(ndjsonLine(statsRecord(stats)));
    io.stderr.write(`${statsText(stats)}\n`);
  }
}

function statsText(stats: CollectCounts & TraceAssembler['stats']): string {
  const parts = [`received ${count(stats.spansReceived, 'span')} in ${count(stats.requests, 'request')}, ${count(stats.tracesCompleted, 'trace')} shown`];
  if (stats.spansRejected > 0) parts.push(`${count(stats.spansRejected, 'span')} rejected`);
  if (stats.spansDropped > 0) parts.push(`${count(stats.spansDropped, 'span')} left out of waterfalls (over the limits)`);
  if (stats.spansReplaced > 0) parts.push(`${count(stats.spansReplaced, 're-sent span')} replaced`);
  if (stats.tracesEvictedOpen > 0) parts.push(`${count(stats.tracesEvictedOpen, 'trace')} shown early to make room`);
  return parts.join('; ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
