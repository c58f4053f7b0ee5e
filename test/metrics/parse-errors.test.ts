import {describe, expect, it} from 'vitest';
import {UserError} from '../../src/errors.js';
import {MetricsParseError, parsePrometheusText} from '../../src/metrics/parse.js';

function parseError(text: string): MetricsParseError {
  try {
    parsePrometheusText(text);
  } catch (error) {
    if (error instanceof MetricsParseError) return error;
    throw error;
  }
  throw new Error('expected a MetricsParseError, but the text parsed');
}

// [what, input, line, column, message text]; line and column (1-based, in characters) were
// counted by hand on the input.
const CASES: Array<[string, string, number, number, string]> = [
  ['missing value after labels', 'foo{a="b"}\n', 1, 11, 'missing value for "foo"'],
  ['missing value after a bare name', 'ok 1\nfoo\n', 2, 4, 'missing value for "foo"'],
  ['missing value at end of input', 'foo ', 1, 5, 'missing value for "foo"'],
  ['label set cut by the line end', 'foo{a="b"\nbar 1\n', 1, 10, 'label set is not closed with "}"'],
  ['label set cut after a comma', 'foo{a="b",\n', 1, 11, 'label set is not closed with "}"'],
  ['quoted value without its closing quote', 'foo{a="b} 1\nbar 2\n', 1, 7, `the value of label "a" has no closing '"' on this line`],
  ['quoted value cut by the end of input', 'foo{a="b', 1, 7, `the value of label "a" has no closing '"' on this line`],
  ['quoted value ending in a lone backslash', 'foo{a="b\\\n', 1, 7, `has no closing '"'`],
  ['label name starting with a digit', 'foo{1a="b"} 1\n', 1, 5, 'invalid label name starting with "1"'],
  ['label name with a dash', 'foo{a-b="c"} 1\n', 1, 6, 'expected "=" after label name "a", found "-"'],
  ['leading comma in a label set', 'foo{,a="b"} 1\n', 1, 5, 'invalid label name starting with ","'],
  ['missing = after a label name', 'foo{a "b"} 1\n', 1, 7, 'expected "=" after label name "a", found "\\""'],
  ['unquoted label value', 'foo{a=b} 1\n', 1, 7, `expected '"' to open the value of label "a", found "b"`],
  ['missing comma between labels', 'foo{a="b" c="d"} 1\n', 1, 11, 'expected "," or "}" after the value of label "a", found "c"'],
  ['duplicate label name', 'foo{a="1",b="2",a="3"} 1\n', 1, 17, 'duplicate label name "a"'],
  ['invalid number', 'foo 12x\n', 1, 5, 'invalid value for "foo": "12x" is not a number'],
  ['hex float (Go accepts it, Prometheus does not)', 'foo 0x1p3\n', 1, 5, '"0x1p3" is not a number'],
  ['digit underscores', 'foo 1_000\n', 1, 5, '"1_000" is not a number'],
  ['signed NaN (Go refuses it)', 'foo +NaN\n', 1, 5, '"+NaN" is not a number'],
  ['lone sign', 'foo{} -\n', 1, 7, '"-" is not a number'],
  ['exponent without digits', 'foo 1e\n', 1, 5, '"1e" is not a number'],
  ['a float literal too large for float64', 'foo 1e999\n', 1, 5, '"1e999" is out of float64 range'],
  ['invalid timestamp', 'foo 1 abc\n', 1, 7, 'invalid timestamp "abc"'],
  ['NaN timestamp', 'foo 1 NaN\n', 1, 7, 'invalid timestamp "NaN"'],
  ['stray characters after the timestamp', 'foo 1 2 3\n', 1, 9, 'unexpected "3" after the timestamp'],
  ['lone carriage return after the value', 'foo 1\rbar 2\n', 1, 6, 'unexpected "\\x0d" after the value'],
  ['stray characters after an exemplar', 'foo_total 1 # {a="b"} 1 2 x\n', 1, 27, 'unexpected "x" after the exemplar'],
  ['exemplar without a label set', 'foo 1 # trace\n', 1, 9, 'expected "{" to open an exemplar, found "t"'],
  ['NUL byte', 'foo 1\nbar{a="\0"} 2\n', 2, 8, 'NUL byte in metrics text'],
  ['NUL byte in a comment', '# HELP foo a\0b\nfoo 1\n', 1, 13, 'NUL byte'],
  ['invalid escape in a label value', 'foo{a="x\\ty"} 1\n', 1, 9, 'invalid escape "\\\\t" in the value of label "a" (only \\\\, \\" and \\n are allowed)'],
  ['metric name starting with a digit', '1foo 2\n', 1, 1, 'expected a metric name or "#", found "1"'],
  ['label set without a metric name', '{a="b"} 1\n', 1, 1, 'expected a metric name or "#", found "{"'],
  ['character not allowed in a metric name', 'foo-bar 1\n', 1, 4, 'unexpected "-" after metric name "foo"'],
  ['invalid metric name after # TYPE', '# TYPE 1foo counter\n', 1, 8, 'expected a metric name after "# TYPE", found "1"'],
  ['character not allowed in the name after # HELP', '# HELP foo-bar text\n', 1, 11, 'unexpected "-" in the metric name after "# HELP"'],
  ['line counting over CRLF', 'a 1\r\nb 2\r\nc x\r\n', 3, 3, 'invalid value for "c"'],
  ['columns count code points, not UTF-16 units', 'foo{a="é😀",b} 1\n', 1, 13, 'expected "=" after label name "b", found "}"'],
];

describe('parse errors carry the line and column of the offending character', () => {
  it.each(CASES)('%s', (_what, input, line, column, text) => {
    const error = parseError(input);
    expect({line: error.line, column: error.column}).toEqual({line, column});
    expect(error.message).toContain(text);
    expect(error.message.startsWith(`line ${line}, column ${column}: `)).toBe(true);
  });
});

describe('MetricsParseError', () => {
  it('is a plain Error subclass, not a UserError, and names no proxy', () => {
    const error = parseError('foo bar\n');
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UserError);
    expect(error.name).toBe('MetricsParseError');
    expect(error.message).toBe('line 1, column 5: invalid value for "foo": "bar" is not a number');
  });

  it('never puts raw control characters from the input into its message', () => {
    const error = parseError('foo \u001b[31mred\u0007\n');
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message).toContain('\\x1b[31mred\\x07');
  });

  it('cuts a very long offending token short', () => {
    const error = parseError(`foo ${'9'.repeat(5000)}x\n`);
    expect(error.message.length).toBeLessThan(200);
  });

  it('reports the first error of the input', () => {
    const error = parseError('good 1\nbad{a=1} 2\nworse\n');
    expect([error.line, error.column]).toEqual([2, 7]);
  });
});
