import {describe, expect, it} from 'vitest';
import {renderMermaid} from '../../../src/render/topology/index.js';
import {loadGraph} from './graphs.js';

/**
 * Mermaid flowchart rules the output must follow: a node is `id[...]` (or another shape)
 * with a double-quoted label in which `"` may not appear; `#code;` is Mermaid's entity
 * escape; `<br/>` breaks a line; an edge is `id -->|"label"| id`. Checked here by a reader
 * written from those rules, not from the renderer.
 */
const NODE = /^ {2}(n\d+)(\[\[|\(\[|\[)"([^"]*)"(\]\]|\]\)|\])$/;
const EDGE = /^ {2}(n\d+) (-->|-\.->)\|"([^"]*)"\| (n\d+)$/;

function decode(text: string): string[] {
  return text.split('<br/>').map((line) => line.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))));
}

describe('renderMermaid', () => {
  it('gives hostile names generated ids and labels that cannot end early or carry markup', () => {
    const lines = renderMermaid(loadGraph('hostile')).trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const nodes = lines.filter((l) => NODE.test(l));
    expect(nodes).toHaveLength(6);
    for (const line of nodes) {
      const label = NODE.exec(line)![3];
      expect(label.replace(/<br\/>/g, '')).not.toMatch(/[<>&|`]/);
    }
    const shown = nodes.flatMap((l) => decode(NODE.exec(l)![3]));
    expect(shown).toContain('say "hi"');
    expect(shown).toContain('ns\\with\\backslashes');
    expect(shown).toContain('line\\x0abreak');
    expect(shown).toContain('b[r]{a}(c)|k<e>t');
    expect(shown).toContain('\\x1b[2J\\x1b[31mred\\u202eevil');
    expect(shown).toContain('cafe\u0301-#1;&amp;`md`');
    expect(lines.filter((l) => EDGE.test(l))).toHaveLength(5);
  });

  it('draws mTLS hops solid and the rest dotted, with figures and security in the label', () => {
    const lines = renderMermaid(loadGraph('bookstore')).split('\n');
    const edges = lines.filter((l) => EDGE.test(l)).map((l) => EDGE.exec(l)!);
    expect(edges).toHaveLength(5);
    const plaintext = edges.filter((e) => e[2] === '-.->');
    expect(plaintext).toHaveLength(1);
    expect(decode(plaintext[0][3])).toEqual(['0.40rps 100% 3ms', 'plaintext']);
    expect(edges.filter((e) => e[2] === '-->').every((e) => decode(e[3])[1] === 'mTLS')).toBe(true);
  });

  it('styles every edge by position and marks unhealthy nodes', () => {
    const text = renderMermaid(loadGraph('bookstore'));
    const styles = text.split('\n').filter((l) => l.startsWith('  linkStyle '));
    expect(styles.map((l) => Number(l.split(' ')[3]))).toEqual([0, 1, 2, 3, 4]);
    const nodes = text.split('\n').filter((l) => NODE.test(l)).map((l) => NODE.exec(l)!);
    const books = nodes.find((n) => decode(n[3])[0] === 'books')![1];
    expect(text).toMatch(new RegExp(`^ {2}class (\\w+,)*${books}(,\\w+)* bad$`, 'm'));
  });

  it('draws a self-loop as an edge from a node to itself', () => {
    const lines = renderMermaid(loadGraph('cyclic')).split('\n');
    expect(lines.filter((l) => EDGE.test(l)).some((l) => EDGE.exec(l)![1] === EDGE.exec(l)![4])).toBe(true);
  });
});
