import {CR, HASH, hasClass, isLineEndAt, LF, METRIC_CHAR, METRIC_START, OPEN_BRACE, SPACE, TAB} from './parse-chars.js';
import {describeCharAt, parseErrorAt, quote} from './parse-error.js';
import {LabelSetReader} from './parse-labels.js';
import {parseFloatToken, parseTimestampToken, whyNotANumber} from './parse-number.js';
import type {Labels, Sample} from './types.js';

/**
 * Reads the tokens of exposition text forward from `pos`, one line at a time, over char codes.
 * Every method either advances past what it read or throws a MetricsParseError that points at
 * the offending character.
 */
export class LineScanner {
  text = '';
  length = 0;
  pos = 0;
  private readonly labelSets = new LabelSetReader();

  /** Starts on a new input, forgetting the last one (`''` lets go of everything). */
  start(text: string): void {
    this.text = text;
    this.length = text.length;
    this.pos = 0;
    this.labelSets.start(text);
  }

  fail(offset: number, reason: string): never {
    throw parseErrorAt(this.text, offset, reason);
  }

  /** The char code at `pos` (NaN at the end of the input). */
  code(): number {
    return this.text.charCodeAt(this.pos);
  }

  skipBlanks(): void {
    const text = this.text;
    let p = this.pos;
    let code: number;
    while ((code = text.charCodeAt(p)) === SPACE || code === TAB) p++;
    this.pos = p;
  }

  /** True when `offset` is at LF, CR LF or the end of the input. */
  isLineEnd(offset: number): boolean {
    return isLineEndAt(this.text, offset);
  }

  /** Moves past the line end at `pos`, or fails on anything else found there. */
  finishLine(after: string): void {
    const p = this.pos;
    const code = this.text.charCodeAt(p);
    if (code === LF) this.pos = p + 1;
    else if (code === CR && this.text.charCodeAt(p + 1) === LF) this.pos = p + 2;
    else if (p < this.length) this.fail(p, `unexpected ${describeCharAt(this.text, p)} after ${after}`);
  }

  /** Moves to the start of the next line without reading the rest of this one. */
  skipLine(): void {
    const newline = this.text.indexOf('\n', this.pos);
    this.pos = newline === -1 ? this.length : newline + 1;
  }

  /** Where the text of this line ends (before its LF or CR LF); `pos` does not move. */
  lineTextEnd(): number {
    const newline = this.text.indexOf('\n', this.pos);
    if (newline === -1) return this.length;
    return this.text.charCodeAt(newline - 1) === CR && newline - 1 >= this.pos ? newline - 1 : newline;
  }

  /** The end of the metric name starting at `pos` (equal to `pos` when there is none). */
  metricNameEnd(): number {
    const text = this.text;
    let p = this.pos;
    if (!hasClass(text.charCodeAt(p), METRIC_START)) return p;
    do p++;
    while (hasClass(text.charCodeAt(p), METRIC_CHAR));
    return p;
  }

  /** The rest of a sample line whose metric name `name` ends at `pos`; consumes the line end. */
  readSample(name: string): Sample {
    let code = this.text.charCodeAt(this.pos);
    if (code === SPACE || code === TAB) {
      this.skipBlanks();
      code = this.text.charCodeAt(this.pos);
    } else if (code !== OPEN_BRACE && !this.isLineEnd(this.pos)) {
      this.fail(this.pos, `unexpected ${describeCharAt(this.text, this.pos)} after metric name ${quote(name)}`);
    }
    const labels = code === OPEN_BRACE ? this.readLabels() : {};
    const value = this.readValue(name);
    const timestampMs = this.readSampleEnd();
    return {name, labels, value, timestampMs};
  }

  /** The label set at `pos` and the blanks after it. */
  private readLabels(): Labels {
    const labels = this.labelSets.read(this.pos);
    this.pos = this.labelSets.end;
    this.skipBlanks();
    return labels;
  }

  /** End of the token at `pos`: the next blank, CR, LF or the end of the input. */
  private tokenEnd(): number {
    const text = this.text;
    let p = this.pos;
    let code: number;
    while (p < this.length && (code = text.charCodeAt(p)) !== SPACE && code !== TAB && code !== LF && code !== CR) p++;
    return p;
  }

  /** The value of the sample named `sampleName`, or of an exemplar when that is null. */
  private readValue(sampleName: string | null): number {
    const start = this.pos;
    const end = this.tokenEnd();
    const value = end === start ? undefined : parseFloatToken(this.text, start, end);
    if (value === undefined) this.failValue(start, end, sampleName === null ? 'exemplar value' : `value for ${quote(sampleName)}`);
    this.pos = end;
    return value;
  }

  private failValue(start: number, end: number, what: string): never {
    if (end > start) {
      const token = this.text.slice(start, end);
      this.fail(start, `invalid ${what}: ${quote(token)} is ${whyNotANumber(token)}`);
    }
    this.fail(start, this.isLineEnd(start) ? `missing ${what}` : `unexpected ${describeCharAt(this.text, start)} where the ${what} should be`);
  }

  /** After the value: an optional timestamp, an optional exemplar, then the line end. */
  private readSampleEnd(): number | null {
    this.skipBlanks();
    let timestampMs: number | null = null;
    let after = 'the value';
    if (this.code() !== HASH && !this.isLineEnd(this.pos)) {
      timestampMs = this.readTimestamp();
      after = 'the timestamp';
    }
    if (this.code() === HASH) {
      this.skipExemplar();
      after = 'the exemplar';
    }
    this.finishLine(after);
    return timestampMs;
  }

  private readTimestamp(): number {
    const start = this.pos;
    const end = this.tokenEnd();
    if (end === start) this.fail(start, `unexpected ${describeCharAt(this.text, start)} after the value`);
    const timestamp = parseTimestampToken(this.text, start, end);
    if (timestamp === undefined) this.fail(start, `invalid timestamp ${quote(this.text.slice(start, end))}`);
    this.pos = end;
    this.skipBlanks();
    return timestamp;
  }

  /** An OpenMetrics exemplar, ` # {trace_id="…"} 1.0 [timestamp]`: checked, then dropped. */
  private skipExemplar(): void {
    this.pos++;
    this.skipBlanks();
    if (this.code() !== OPEN_BRACE) this.fail(this.pos, `expected "{" to open an exemplar, found ${describeCharAt(this.text, this.pos)}`);
    this.readLabels();
    this.readValue(null);
    this.skipBlanks();
    if (!this.isLineEnd(this.pos)) this.readTimestamp();
  }
}
