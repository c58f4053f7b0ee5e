import {FamilyIndex, metricTypeOf} from './parse-families.js';
import {describeCharAt, parseErrorAt} from './parse-error.js';
import {HASH, occursAt, SPACE, TAB} from './parse-chars.js';
import {LineScanner} from './parse-scanner.js';
import type {ParseOptions, ParsedMetrics, Sample} from './types.js';

export {MetricsParseError} from './parse-error.js';

/**
 * Parses Prometheus exposition text: format 0.0.4 and the OpenMetrics-style text that
 * linkerd2-proxy and Envoy actually serve (`# UNIT`, `# EOF`, `_total` counters, exemplars).
 * Throws MetricsParseError, with line and column, on text that is not exposition format.
 *
 * One forward pass over char codes; nothing backtracks, so time is linear in the input.
 * `options.keep` is asked once per distinct metric name; lines it refuses are skipped to the
 * next newline without being read.
 */
export function parsePrometheusText(text: string, options: ParseOptions = {}): ParsedMetrics {
  const nul = text.indexOf('\0');
  if (nul !== -1) throw parseErrorAt(text, nul, 'NUL byte in metrics text');

  const scanner = new LineScanner(text);
  const families = new FamilyIndex();
  const names = new NameTable(options.keep);
  while (scanner.pos < scanner.length) {
    scanner.skipBlanks();
    if (scanner.code() === HASH) {
      if (readCommentLine(scanner, families, names) === 'end of input') break;
    } else if (scanner.isLineEnd(scanner.pos)) {
      scanner.finishLine('a blank line');
    } else {
      readSampleLine(scanner, families, names);
    }
  }
  return {families: families.families, samples: (name) => names.samplesNamed(name)};
}

interface NameEntry {
  /** One string per distinct name, shared by all its samples. */
  name: string;
  keep: boolean;
  samples: Sample[];
}

/** What is known per distinct metric name: the keep decision and the samples with that name. */
class NameTable {
  private readonly entries = new Map<string, NameEntry>();
  private last: NameEntry | null = null;

  constructor(private readonly keep: ((name: string) => boolean) | undefined) {}

  /** The entry for `text[start, end)`; the common case, the same name as the line before, slices nothing. */
  entry(text: string, start: number, end: number): NameEntry {
    const last = this.last;
    if (last !== null && last.name.length === end - start && occursAt(text, last.name, start)) return last;
    const name = text.slice(start, end);
    let entry = this.entries.get(name);
    if (entry === undefined) {
      entry = {name, keep: this.keep === undefined || this.keep(name), samples: []};
      this.entries.set(name, entry);
    }
    this.last = entry;
    return entry;
  }

  samplesNamed(name: string): Sample[] {
    return this.entries.get(name)?.samples ?? [];
  }
}

function readSampleLine(scanner: LineScanner, families: FamilyIndex, names: NameTable): void {
  const start = scanner.pos;
  const end = scanner.metricNameEnd();
  if (end === start) scanner.fail(start, `expected a metric name or "#", found ${describeCharAt(scanner.text, start)}`);
  const entry = names.entry(scanner.text, start, end);
  if (!entry.keep) {
    scanner.skipLine();
    return;
  }
  scanner.pos = end;
  const sample = scanner.readSample(entry.name);
  entry.samples.push(sample);
  families.add(sample);
}

const KEYWORDS = ['HELP', 'TYPE', 'UNIT', 'EOF'] as const;
type Keyword = (typeof KEYWORDS)[number];

/**
 * A line starting with `#`: HELP, TYPE and UNIT declare a family; `# EOF` ends the input
 * (OpenMetrics); anything else (`# POD x (1 of 1)`, a bare `#`) is a comment.
 */
function readCommentLine(scanner: LineScanner, families: FamilyIndex, names: NameTable): 'end of input' | 'next line' {
  scanner.pos++;
  scanner.skipBlanks();
  const keyword = readKeyword(scanner);
  if (keyword === 'EOF') {
    scanner.skipBlanks();
    if (scanner.isLineEnd(scanner.pos)) return 'end of input';
  }
  scanner.skipBlanks();
  if (keyword === null || keyword === 'EOF' || scanner.isLineEnd(scanner.pos)) {
    scanner.skipLine();
    return 'next line';
  }
  const start = scanner.pos;
  const end = scanner.metricNameEnd();
  const after = scanner.text.charCodeAt(end);
  if (end === start || !(after === SPACE || after === TAB || scanner.isLineEnd(end))) {
    const found = describeCharAt(scanner.text, end);
    scanner.fail(end, end === start ? `expected a metric name after "# ${keyword}", found ${found}` : `unexpected ${found} in the metric name after "# ${keyword}"`);
  }
  const entry = names.entry(scanner.text, start, end);
  if (!entry.keep) {
    families.forgetCurrent();
    scanner.skipLine();
    return 'next line';
  }
  scanner.pos = end;
  scanner.skipBlanks();
  const rest = scanner.text.slice(scanner.pos, scanner.lineTextEnd());
  const family = families.declare(entry.name);
  if (keyword === 'HELP') family.help = unescapeHelp(rest);
  else if (keyword === 'TYPE') family.type = metricTypeOf(rest.trimEnd());
  else family.unit = rest.trimEnd() || null;
  scanner.skipLine();
  return 'next line';
}

/** The keyword at `pos` when it is one of ours and ends at a blank or the line end. */
function readKeyword(scanner: LineScanner): Keyword | null {
  for (const keyword of KEYWORDS) {
    const end = scanner.pos + keyword.length;
    const after = scanner.text.charCodeAt(end);
    if (occursAt(scanner.text, keyword, scanner.pos) && (after === SPACE || after === TAB || scanner.isLineEnd(end))) {
      scanner.pos = end;
      return keyword;
    }
  }
  return null;
}

/**
 * HELP text escapes: `\\` and `\n` are decoded; any other backslash is kept as written. This is
 * what the Prometheus server does; a stricter reading would reject a whole scrape over
 * documentation text nobody computes with.
 */
export function unescapeHelp(help: string): string {
  return help.includes('\\') ? help.replace(/\\([\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : '\\')) : help;
}
