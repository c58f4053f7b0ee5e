import type {TrafficEvent} from '../../model/traffic.js';
import type {EnvoyTraceWrapper} from './tap-json.js';
import {SegmentAssembler, type AssemblerOptions} from './tap-segments.js';
import {JsonObjectSplitter, describeSplitError, type SplitterOptions} from './tap-stream.js';
import {TraceMapper, partsFromBuffered, type TapContext, type TraceParts} from './tap-trace.js';

/** What one push produced: events in stream order, and problems worth one stderr line each. */
export interface DecodeResult {
  events: TrafficEvent[];
  warnings: string[];
}

export interface DecoderOptions extends SplitterOptions, AssemblerOptions {}

/**
 * Bytes of one proxy's `/tap` response in, TrafficEvents out: splits the stream into JSON
 * objects, parses each, and maps buffered traces directly and streamed segments through
 * the assembler. Non-HTTP traces (socket taps) and malformed objects become warnings; the
 * stream goes on.
 */
export class TapDecoder {
  private readonly splitter: JsonObjectSplitter;
  private readonly assembler: SegmentAssembler;
  private readonly mapper: TraceMapper;
  private readonly now: () => number;

  constructor(context: TapContext, options: DecoderOptions = {}) {
    this.splitter = new JsonObjectSplitter(options);
    this.assembler = new SegmentAssembler(options);
    this.mapper = new TraceMapper(context);
    this.now = context.now ?? Date.now;
  }

  push(chunk: Uint8Array): DecodeResult {
    return this.handle(this.splitter.push(chunk));
  }

  /** Complete streamed traces that went quiet; call on a timer while the stream is open. */
  sweep(): DecodeResult {
    return {events: this.toEvents(this.assembler.sweep(this.now())), warnings: []};
  }

  /** The stream ended. */
  end(): DecodeResult {
    const result = this.handle(this.splitter.end());
    const before = this.assembler.incomplete;
    result.events.push(...this.toEvents(this.assembler.flush()));
    const lost = this.assembler.incomplete - before;
    if (lost > 0) result.warnings.push(`${lost} streamed request(s) had no response when the stream ended`);
    return result;
  }

  /** Streamed traces dropped because too many were open at once. */
  get droppedSegments(): number {
    return this.assembler.dropped;
  }

  private handle(items: ReturnType<JsonObjectSplitter['push']>): DecodeResult {
    const result: DecodeResult = {events: [], warnings: []};
    for (const item of items) {
      if (!item.ok) {
        result.warnings.push(describeSplitError(item.error));
        continue;
      }
      let wrapper: EnvoyTraceWrapper;
      try {
        wrapper = JSON.parse(item.text) as EnvoyTraceWrapper;
      } catch (error) {
        result.warnings.push(`skipped a trace that is not valid JSON (${(error as Error).message})`);
        continue;
      }
      this.dispatch(wrapper, result);
    }
    return result;
  }

  private dispatch(wrapper: EnvoyTraceWrapper, result: DecodeResult): void {
    if (wrapper === null || typeof wrapper !== 'object') {
      result.warnings.push('skipped a trace that is not a JSON object');
    } else if (wrapper.http_buffered_trace) {
      result.events.push(this.mapper.toEvent(partsFromBuffered(wrapper.http_buffered_trace)));
    } else if (wrapper.http_streamed_trace_segment) {
      result.events.push(...this.toEvents(this.assembler.push(wrapper.http_streamed_trace_segment, this.now())));
    } else if (wrapper.socket_buffered_trace || wrapper.socket_streamed_trace_segment) {
      result.warnings.push('skipped a TCP (socket) trace: meshctl taps HTTP only');
    } else {
      result.warnings.push('skipped a trace of an unknown kind');
    }
  }

  private toEvents(parts: TraceParts[]): TrafficEvent[] {
    return parts.map((p) => this.mapper.toEvent(p));
  }
}
