import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {renderDot} from '../../../src/render/topology/index.js';
import {loadGraph} from './graphs.js';

/** What each hostile node must read as once drawn: its sanitized name and namespace. */
const HOSTILE_TEXT = [
  'say "hi"',
  'ns\\with\\backslashes',
  'line\\x0abreak',
  'b[r]{a}(c)|k<e>t',
  '\\x1b[2J\\x1b[31mred\\u202eevil',
  '日本語サービス',
  'cafe\u0301-#1;&amp;`md`',
];

/** The quoted strings of one DOT statement, unescaped as the DOT grammar defines them. */
function quotedStrings(statement: string): string[] {
  const strings: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"/g;
  for (const match of statement.matchAll(pattern)) strings.push(match[1].replace(/\\"/g, '"'));
  return strings;
}

const graphviz = spawnSync('dot', ['-V'], {encoding: 'utf8'});
const HAVE_GRAPHVIZ = graphviz.status === 0;
if (!HAVE_GRAPHVIZ) process.stderr.write('\n[meshctl tests] NOTICE: graphviz `dot` not found; DOT output is not run through graphviz (apt-get install graphviz)\n\n');

describe('renderDot', () => {
  it('keeps every statement on one line and every name inside a quoted label', () => {
    const dot = renderDot(loadGraph('hostile'));
    const lines = dot.trimEnd().split('\n');
    expect(lines[0]).toBe('digraph topology {');
    expect(lines.at(-1)).toBe('}');
    const nodes = lines.filter((l) => /^ {2}n\d+ \[/.test(l));
    expect(nodes).toHaveLength(6);
    for (const line of nodes) expect(line).toMatch(/^ {2}n\d+ \[label=".*", shape=box.*\];$/);
    expect(lines.filter((l) => /^ {2}n\d+ -> n\d+ \[/.test(l))).toHaveLength(5);
    const labels = nodes.map((l) => quotedStrings(l)[0]);
    // Inside a label, \\ is one backslash, \n a line break, &amp; one ampersand (graphviz reads entities).
    const shown = labels.flatMap((label) => label.split(/(?<!\\)\\n/)).map((line) => line.replace(/\\\\/g, '\\').replace(/&amp;/g, '&'));
    expect(shown.sort()).toEqual([...HOSTILE_TEXT, 'x', 'x', 'x', 'x', 'x'].sort());
  });

  it('colours edges by health and dashes or dots edges that are not known to be mTLS', () => {
    const lines = renderDot(loadGraph('bookstore')).split('\n');
    const edge = (label: string) => lines.find((l) => l.includes(label)) ?? '';
    expect(edge('4.1rps 68.3% 24ms')).toContain('color=firebrick');
    expect(edge('8.2rps 100% 35ms')).toContain('color=forestgreen');
    expect(edge('8.2rps 100% 35ms')).toContain('style=solid');
    expect(edge('0.40rps 100% 3ms')).toContain('style=dashed');
    expect(edge('0.40rps 100% 3ms')).toContain('plaintext');
  });

  it.skipIf(!HAVE_GRAPHVIZ)('is read by graphviz, which shows each name exactly as sanitized', () => {
    const result = spawnSync('dot', ['-Tsvg'], {input: renderDot(loadGraph('hostile')), encoding: 'utf8'});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const texts = [...result.stdout.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
      m[1]
        .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    );
    for (const text of HOSTILE_TEXT) expect(texts).toContain(text);
  });

  it.skipIf(!HAVE_GRAPHVIZ)('lays out a cyclic graph with a self-loop', () => {
    const result = spawnSync('dot', ['-Tplain'], {input: renderDot(loadGraph('cyclic')), encoding: 'utf8'});
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('edge '))).toHaveLength(4);
  });
});
