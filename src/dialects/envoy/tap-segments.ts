import type {Header} from '../../model/traffic.js';
import {LruMap} from '../../util/lru.js';
import {bodyBytes, bodyTruncated, headerOf, parseCount, readHeaders, type EnvoyBody, type EnvoyStreamedSegment} from './tap-json.js';
import type {TraceParts} from './tap-trace.js';

/**
 * Reassembles `http_streamed_trace_segment`s (Envoy tap with `streaming: true`) by trace id.
 *
 * Envoy sends request headers, body chunks, trailers, then response headers, chunks and
 * trailers, but no end-of-trace marker. A trace is therefore complete when:
 * - its response trailers arrive (gRPC and other trailer-carrying responses);
 * - its response headers say no body follows (HEAD, 1xx/204/304, `content-length: 0`), or
 *   untruncated body chunks reach the declared `content-length`;
 * - otherwise, `idleMs` after its last segment once response headers were seen.
 * A trace that never gets response headers is reported as `no-response` after
 * `noResponseMs` of silence. Missing segments: a trace first seen mid-way (the stream
 * attached late, or segments were lost) is kept with empty request headers, so its method
 * and path read as unknown rather than being guessed.
 *
 * Memory is bounded by `maxOpen` traces; when full, the least recently active trace is
 * completed if it has response headers, else dropped and counted in `dropped`. `flush()`
 * (end of stream) completes what has response headers and counts the rest as `incomplete`.
 */
export interface AssemblerOptions {
  maxOpen?: number;
  idleMs?: number;
  noResponseMs?: number;
}

interface OpenTrace {
  parts: TraceParts;
  lastSeenMs: number;
  /** Whether every response chunk so far was captured whole (so bytes can be counted). */
  responseBodyWhole: boolean;
}

export class SegmentAssembler {
  readonly maxOpen: number;
  readonly idleMs: number;
  readonly noResponseMs: number;
  /** Traces dropped because the table was full and they had no response yet. */
  dropped = 0;
  /** Traces still without response headers when the stream ended. */
  incomplete = 0;
  /** Open traces in activity order, least recently active first. */
  private readonly open = new LruMap<string, OpenTrace>();

  constructor(options: AssemblerOptions = {}) {
    this.maxOpen = options.maxOpen ?? 10_000;
    this.idleMs = options.idleMs ?? 2_000;
    this.noResponseMs = options.noResponseMs ?? 60_000;
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Add one segment; returns the traces it completed (possibly one evicted to make room). */
  push(segment: EnvoyStreamedSegment, nowMs: number): TraceParts[] {
    const done: TraceParts[] = [];
    const id = traceIdOf(segment.trace_id);
    let trace = this.open.touch(id);
    if (!trace) {
      if (this.open.size >= this.maxOpen) this.evictOldest(done);
      trace = {parts: emptyParts(), lastSeenMs: nowMs, responseBodyWhole: true};
      this.open.set(id, trace);
    }
    trace.lastSeenMs = nowMs;
    if (apply(trace, segment)) {
      this.open.delete(id);
      done.push(trace.parts);
    }
    return done;
  }

  /** Complete traces that have gone quiet; call a few times a second. */
  sweep(nowMs: number): TraceParts[] {
    const done: TraceParts[] = [];
    const quietIds: string[] = [];
    for (const [id, trace] of this.open.entries()) {
      const quiet = nowMs - trace.lastSeenMs;
      if (trace.parts.responseHeaders ? quiet >= this.idleMs : quiet >= this.noResponseMs) {
        quietIds.push(id);
        done.push(trace.parts);
      }
    }
    for (const id of quietIds) this.open.delete(id);
    return done;
  }

  /** The stream ended: everything with response headers is complete; the rest is counted. */
  flush(): TraceParts[] {
    const done: TraceParts[] = [];
    for (const trace of this.open.values()) {
      if (trace.parts.responseHeaders) done.push(trace.parts);
      else this.incomplete++;
    }
    this.open.clear();
    return done;
  }

  private evictOldest(done: TraceParts[]): void {
    const oldest = this.open.shift();
    if (!oldest) return;
    const trace = oldest[1];
    if (trace.parts.responseHeaders) done.push(trace.parts);
    else this.dropped++;
  }
}

/** Apply a segment; true when it completes the trace. */
function apply(trace: OpenTrace, segment: EnvoyStreamedSegment): boolean {
  const parts = trace.parts;
  if (segment.request_headers) parts.requestHeaders = readHeaders(segment.request_headers.headers);
  else if (segment.request_body_chunk) addChunk(parts.requestBody, segment.request_body_chunk);
  else if (segment.request_trailers) parts.requestTrailers = readHeaders(segment.request_trailers.headers);
  else if (segment.response_headers) {
    parts.responseHeaders = readHeaders(segment.response_headers.headers);
    return noBodyFollows(parts.requestHeaders, parts.responseHeaders);
  } else if (segment.response_body_chunk) {
    addChunk(parts.responseBody, segment.response_body_chunk);
    trace.responseBodyWhole &&= !bodyTruncated(segment.response_body_chunk);
    const declared = parseCount(headerOf(parts.responseHeaders ?? [], 'content-length'));
    return trace.responseBodyWhole && declared !== null && parts.responseBody.bytes >= declared;
  } else if (segment.response_trailers) {
    parts.responseTrailers = readHeaders(segment.response_trailers.headers);
    parts.responseHeaders ??= [];
    return true;
  }
  return false;
}

function addChunk(body: TraceParts['requestBody'], chunk: EnvoyBody): void {
  body.bytes += bodyBytes(chunk);
  body.truncated ||= bodyTruncated(chunk);
}

function noBodyFollows(request: Header[], response: Header[]): boolean {
  if (headerOf(request, ':method') === 'HEAD') return true;
  const status = parseCount(headerOf(response, ':status'));
  if (status !== null && (status < 200 || status === 204 || status === 304)) return true;
  return parseCount(headerOf(response, 'content-length')) === 0;
}

function traceIdOf(value: unknown): string {
  // proto3 JSON writes uint64 as a string; accept a number too (precision may be lost).
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function emptyParts(): TraceParts {
  return {
    requestHeaders: [],
    requestTrailers: [],
    responseHeaders: null,
    responseTrailers: [],
    requestBody: {bytes: 0, truncated: false},
    responseBody: {bytes: 0, truncated: false},
    requestTimeMs: null,
    responseTimeMs: null,
    downstream: null,
    upstream: null,
  };
}
