import {
  BACKSLASH,
  CLOSE_BRACE,
  COMMA,
  EQUALS,
  hasClass,
  isLineEndAt,
  LABEL_CHAR,
  LABEL_START,
  LF,
  LOWER_N,
  occursAt,
  QUOTE,
  SPACE,
  TAB,
} from './parse-chars.js';
import {describeCharAt, parseErrorAt, quote} from './parse-error.js';
import type {Labels} from './types.js';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Values up to this length are compared with the last set's before being sliced: V8 copies
 * such short slices, while a longer slice is a small fixed-size view that costs less to make
 * than a character-by-character comparison.
 */
const REUSE_AT_MOST = 12;

/** `labels[name] = value`, also for a label named `__proto__`, which must not set the prototype. */
function setLabel(labels: Labels, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(labels, name, {value, enumerable: true, writable: true, configurable: true});
  else labels[name] = value;
}

/**
 * Reads label sets, `{name="value",...}`, of one input. Label values may hold any character but
 * a raw newline; `\\`, `\"` and `\n` are their only escapes (as in Prometheus's expfmt).
 *
 * Consecutive lines nearly always repeat the previous label names in the same order, and most
 * of the values (a histogram's buckets differ only in `le`). So the reader remembers the last
 * set by position: a name, or a short value, that matches is reused without being sliced, and
 * a set whose names all match is built by copying the last object, which takes its shape in
 * one allocation, needs no duplicate check, and has only its changed values set again.
 */
export class LabelSetReader {
  /** Where the last label set read ended (just after its `}`). */
  end = 0;

  private text = '';
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  private readonly nameStarts: number[] = [];
  /** How many of `names` belong to the last set read. */
  private lastCount = 0;
  /** The object built for the last set; its names are `names`. */
  private lastLabels: Labels | null = null;
  /** Positions whose value differs from the last set's, in the set being read. */
  private readonly changed: number[] = [];
  private changedCount = 0;
  private readonly distinctNames = new Map<string, string>();
  private nextBackslash = -1;
  private nextNewline = -1;

  /** Starts on a new input, forgetting the last one (`''` lets go of everything). */
  start(text: string): void {
    this.text = text;
    this.end = 0;
    this.changedCount = 0;
    this.names.length = 0;
    this.values.length = 0;
    this.nameStarts.length = 0;
    this.lastCount = 0;
    this.lastLabels = null;
    this.distinctNames.clear();
    this.nextBackslash = -1;
    this.nextNewline = -1;
  }

  private fail(offset: number, reason: string): never {
    throw parseErrorAt(this.text, offset, reason);
  }

  /** The label set whose `{` is at `openBrace`. */
  read(openBrace: number): Labels {
    const text = this.text;
    const names = this.names;
    const lastCount = this.lastCount;
    let sameNames = true;
    let count = 0;
    let p = openBrace + 1;
    this.changedCount = 0;
    let code: number;
    for (;;) {
      while ((code = text.charCodeAt(p)) === SPACE || code === TAB) p++;
      if (code === CLOSE_BRACE) break;
      const nameStart = p;
      let name = names[count];
      if (count < lastCount && occursAt(text, name, p) && !hasClass(text.charCodeAt(p + name.length), LABEL_CHAR)) {
        p += name.length;
      } else {
        if (!hasClass(code, LABEL_START)) {
          this.fail(p, isLineEndAt(text, p) ? 'label set is not closed with "}"' : `invalid label name starting with ${describeCharAt(text, p)}`);
        }
        do p++;
        while (hasClass(text.charCodeAt(p), LABEL_CHAR));
        name = this.distinctName(text.slice(nameStart, p));
        names[count] = name;
        sameNames = false;
      }
      while ((code = text.charCodeAt(p)) === SPACE || code === TAB) p++;
      if (code !== EQUALS) this.fail(p, `expected "=" after label name ${quote(name)}, found ${describeCharAt(text, p)}`);
      p++;
      while ((code = text.charCodeAt(p)) === SPACE || code === TAB) p++;
      if (code !== QUOTE) this.fail(p, `expected '"' to open the value of label ${quote(name)}, found ${describeCharAt(text, p)}`);
      p = this.readValue(p, name, count);
      this.nameStarts[count] = nameStart;
      count++;
      while ((code = text.charCodeAt(p)) === SPACE || code === TAB) p++;
      if (code === COMMA) {
        p++;
        continue;
      }
      if (code === CLOSE_BRACE) break;
      this.fail(p, isLineEndAt(text, p) ? 'label set is not closed with "}"' : `expected "," or "}" after the value of label ${quote(name)}, found ${describeCharAt(text, p)}`);
    }
    this.end = p + 1;
    const labels = sameNames && count === lastCount && this.lastLabels !== null ? this.likeLast() : this.fresh(count);
    this.lastCount = count;
    return labels;
  }

  /** Same names as the last set: a copy of it, with the values that changed set again. */
  private likeLast(): Labels {
    const labels = {...this.lastLabels};
    for (let k = 0; k < this.changedCount; k++) {
      const i = this.changed[k];
      setLabel(labels, this.names[i], this.values[i]);
    }
    this.lastLabels = labels;
    return labels;
  }

  private fresh(count: number): Labels {
    const labels: Labels = {};
    for (let i = 0; i < count; i++) {
      const name = this.names[i];
      if (hasOwn.call(labels, name)) this.fail(this.nameStarts[i], `duplicate label name ${quote(name)}`);
      setLabel(labels, name, this.values[i]);
    }
    this.lastLabels = labels;
    return labels;
  }

  /** One shared string per distinct label name. */
  private distinctName(slice: string): string {
    const known = this.distinctNames.get(slice);
    if (known !== undefined) return known;
    this.distinctNames.set(slice, slice);
    return slice;
  }

  /**
   * Reads the quoted value at `openQuote` into `values[index]`, noting it in `changed` unless
   * it equals the value the last set had there; returns where the value ended.
   */
  private readValue(openQuote: number, labelName: string, index: number): number {
    const text = this.text;
    const start = openQuote + 1;
    const closeQuote = text.indexOf('"', start);
    if (closeQuote !== -1 && closeQuote < this.nextBackslashFrom(start) && closeQuote < this.nextNewlineFrom(start)) {
      const previous = this.values[index];
      if (previous === undefined || previous.length !== closeQuote - start || closeQuote - start > REUSE_AT_MOST || !occursAt(text, previous, start)) {
        this.values[index] = text.slice(start, closeQuote);
        this.changed[this.changedCount++] = index;
      }
      return closeQuote + 1;
    }
    return this.readEscapedValue(openQuote, labelName, index);
  }

  /**
   * Where the next backslash at or after `offset` is (the length when none). Remembered and
   * looked for again only once `offset` has passed it, so the input is searched once in all.
   */
  private nextBackslashFrom(offset: number): number {
    if (this.nextBackslash < offset) {
      const found = this.text.indexOf('\\', offset);
      this.nextBackslash = found === -1 ? this.text.length : found;
    }
    return this.nextBackslash;
  }

  private nextNewlineFrom(offset: number): number {
    if (this.nextNewline < offset) {
      const found = this.text.indexOf('\n', offset);
      this.nextNewline = found === -1 ? this.text.length : found;
    }
    return this.nextNewline;
  }

  private readEscapedValue(openQuote: number, labelName: string, index: number): number {
    const text = this.text;
    const parts: string[] = [];
    let chunkStart = openQuote + 1;
    for (let p = chunkStart; ; p++) {
      const code = text.charCodeAt(p);
      if (code === QUOTE) {
        parts.push(text.slice(chunkStart, p));
        this.values[index] = parts.join('');
        this.changed[this.changedCount++] = index;
        return p + 1;
      }
      if (code === LF || p >= text.length || (code === BACKSLASH && (text.charCodeAt(p + 1) === LF || p + 1 >= text.length))) {
        this.fail(openQuote, `the value of label ${quote(labelName)} has no closing '"' on this line`);
      }
      if (code !== BACKSLASH) continue;
      const escaped = text.charCodeAt(p + 1);
      const replacement = escaped === BACKSLASH ? '\\' : escaped === QUOTE ? '"' : escaped === LOWER_N ? '\n' : null;
      if (replacement === null) {
        const sequence = `\\${String.fromCodePoint(text.codePointAt(p + 1) ?? escaped)}`;
        this.fail(p, `invalid escape ${quote(sequence)} in the value of label ${quote(labelName)} (only \\\\, \\" and \\n are allowed)`);
      }
      parts.push(text.slice(chunkStart, p), replacement);
      p++;
      chunkStart = p + 1;
    }
  }
}
