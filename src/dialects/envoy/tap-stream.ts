/**
 * Envoy's admin `/tap` streams pretty-printed JSON `TraceWrapper` objects back to back with
 * no delimiter. This splitter finds each top-level object by tracking brace depth, aware of
 * strings and escapes, across arbitrary chunk boundaries.
 *
 * It works on bytes: `{`, `}`, `"` and `\` are ASCII and never occur inside a multi-byte
 * UTF-8 sequence, so a character split across two chunks needs no special care; each
 * complete object is decoded once. Every byte is looked at once, so time is linear.
 *
 * Oversized objects: once an object passes `maxObjectBytes`, its bytes are no longer kept,
 * but scanning goes on until the object closes; then one `too-large` error is reported and
 * splitting resumes with the next object (resync, nothing else is lost). Bytes between
 * objects other than whitespace are skipped and reported once per run as `garbage`.
 */

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export const DEFAULT_MAX_OBJECT_BYTES = 4 * 1024 * 1024;
const PREVIEW_BYTES = 40;

export type SplitError =
  | {kind: 'too-large'; bytes: number; limit: number}
  | {kind: 'garbage'; bytes: number; preview: string}
  | {kind: 'truncated'; bytes: number};

export type SplitItem = {ok: true; text: string} | {ok: false; error: SplitError};

export interface SplitterOptions {
  maxObjectBytes?: number;
}

export class JsonObjectSplitter {
  private readonly maxObjectBytes: number;
  private readonly decoder = new TextDecoder('utf-8');
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Pieces of the object being read (views into the caller's chunks, copied on completion). */
  private pieces: Uint8Array[] = [];
  private objectBytes = 0;
  private oversized = false;
  private garbageBytes = 0;
  private garbagePreview: number[] = [];

  constructor(options: SplitterOptions = {}) {
    this.maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  }

  /** Feed one chunk; returns every object (or error) completed by it, in stream order. */
  push(chunk: Uint8Array): SplitItem[] {
    const out: SplitItem[] = [];
    let objectStart = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.depth === 0) {
        if (byte === OPEN_BRACE) {
          this.flushGarbage(out);
          this.depth = 1;
          objectStart = i;
        } else if (!isJsonWhitespace(byte)) {
          this.noteGarbage(byte);
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE) this.depth++;
      else if (byte === CLOSE_BRACE && --this.depth === 0) {
        this.keep(chunk, objectStart, i + 1, false);
        out.push(this.finishObject());
        objectStart = -1;
      }
    }
    // The caller may reuse its buffer once push() returns, so an unfinished object is copied.
    if (this.depth > 0 && objectStart >= 0) this.keep(chunk, objectStart, chunk.length, true);
    return out;
  }

  /** The stream ended: report an unfinished object or trailing garbage. */
  end(): SplitItem[] {
    const out: SplitItem[] = [];
    this.flushGarbage(out);
    if (this.depth > 0) out.push({ok: false, error: {kind: 'truncated', bytes: this.objectBytes}});
    this.reset();
    return out;
  }

  private keep(chunk: Uint8Array, start: number, end: number, copy: boolean): void {
    this.objectBytes += end - start;
    if (this.oversized) return;
    if (this.objectBytes > this.maxObjectBytes) {
      this.oversized = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(copy ? chunk.slice(start, end) : chunk.subarray(start, end));
  }

  private finishObject(): SplitItem {
    const bytes = this.objectBytes;
    const item: SplitItem = this.oversized
      ? {ok: false, error: {kind: 'too-large', bytes, limit: this.maxObjectBytes}}
      : {ok: true, text: this.decoder.decode(concat(this.pieces, bytes))};
    this.reset();
    return item;
  }

  private reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.pieces = [];
    this.objectBytes = 0;
    this.oversized = false;
  }

  private noteGarbage(byte: number): void {
    this.garbageBytes++;
    if (this.garbagePreview.length < PREVIEW_BYTES) this.garbagePreview.push(byte);
  }

  private flushGarbage(out: SplitItem[]): void {
    if (this.garbageBytes === 0) return;
    const preview = this.decoder.decode(Uint8Array.from(this.garbagePreview));
    out.push({ok: false, error: {kind: 'garbage', bytes: this.garbageBytes, preview}});
    this.garbageBytes = 0;
    this.garbagePreview = [];
  }
}

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function concat(pieces: Uint8Array[], total: number): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** One line for humans describing a splitter error (the caller sanitizes before printing). */
export function describeSplitError(error: SplitError): string {
  switch (error.kind) {
    case 'too-large':
      return `skipped a trace of ${error.bytes} bytes (limit ${error.limit})`;
    case 'garbage':
      return `skipped ${error.bytes} bytes that are not JSON between traces: ${JSON.stringify(error.preview)}`;
    case 'truncated':
      return `the stream ended inside a trace (${error.bytes} bytes read)`;
  }
}
