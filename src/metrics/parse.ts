import {FamilyIndex, metricTypeOf} from './parse-families.js';
import {describeCharAt, parseErrorAt} from './parse-error.js';
import {HASH, occursAt, SPACE, TAB} from './parse-chars.js';
import {NameTable} from './parse-names.js';
import {LineScanner} from './parse-scanner.js';
import type {ParseOptions, ParsedMetrics} from './types.js';

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
  // A `keep` that itself parses finds the shared parser busy and gets one of its own.
  const parser = idleParser ?? new Parser();
  idleParser = null;
  try {
    return parser.parse(text, options.keep);
  } finally {
    parser.start('', undefined);
    idleParser = parser;
  }
}

/**
 * The working state of a parse. One set is kept and reused from call to call: V8 keeps the
 * machine code it optimised for an object layout only while some object with that layout is
 * alive, so a fresh set per call let every major GC between two scrapes throw the parser's
 * optimised code away (the next parses then ran about 3x slower while it warmed up again).
 */
class Parser {
  private readonly scanner = new LineScanner();
  private readonly families = new FamilyIndex();
  private readonly names = new NameTable();

  /** Starts on `text`; `start('', undefined)` lets go of the last input and its results. */
  start(text: string, keep: ((name: string) => boolean) | undefined): void {
    this.scanner.start(text);
    this.families.start();
    this.names.start(keep);
  }

  parse(text: string, keep: ((name: string) => boolean) | undefined): ParsedMetrics {
    this.start(text, keep);
    const {scanner, families, names} = this;
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
    const byName = names.entries;
    return {families: families.families, samples: (name) => byName.get(name)?.samples ?? []};
  }
}

let idleParser: Parser | null = new Parser();

function readSampleLine(scanner: LineScanner, families: FamilyIndex, names: NameTable): void {
  const start = scanner.pos;
  let entry = names.repeatedAt(scanner.text, start);
  if (entry === null) {
    const end = scanner.metricNameEnd();
    if (end === start) scanner.fail(start, `expected a metric name or "#", found ${describeCharAt(scanner.text, start)}`);
    entry = names.entry(scanner.text, start, end);
  }
  if (!entry.keep) {
    scanner.skipLine();
    return;
  }
  scanner.pos = start + entry.name.length;
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
function unescapeHelp(help: string): string {
  return help.includes('\\') ? help.replace(/\\([\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : '\\')) : help;
}
