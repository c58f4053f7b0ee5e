import type {ChalkInstance} from 'chalk';
import {EAST, NORTH, SOUTH, WEST, lineGlyph, type GlyphSet, type LineStyle} from './glyphs.js';
import {paint, type Tone} from './health.js';
import {graphemes} from './text-width.js';

/**
 * A grid of terminal cells the topology is drawn on. Lines are recorded per net (an edge, or
 * the edges fanning out of one port) as the sides of each cell they connect, so that a net's own turns and branches become
 * junctions while two different nets meeting in a cell become a crossing, where the vertical
 * line is drawn over the horizontal one. Text (names, labels) is written over lines.
 */

interface LineMark {
  net: string;
  mask: number;
  style: LineStyle;
  tone: Tone;
}

interface Cell {
  /** Text for this cell; '' for the second column of a wide character. */
  text?: string;
  tone: Tone;
  lines?: LineMark[];
}

export class Canvas {
  private readonly rows: Cell[][] = [];

  constructor(readonly width: number) {}

  get height(): number {
    return this.rows.length;
  }

  private cell(x: number, y: number): Cell {
    if (x < 0 || x >= this.width || y < 0) throw new Error(`canvas cell ${x},${y} outside width ${this.width}`);
    while (this.rows.length <= y) this.rows.push([]);
    const row = this.rows[y];
    row[x] ??= {tone: 'plain'};
    return row[x];
  }

  /** Write text starting at column x; returns the column after it. Zero-width marks join the cell before. */
  text(x: number, y: number, text: string, tone: Tone = 'plain'): number {
    let col = x;
    for (const g of graphemes(text)) {
      if (g.width === 0) {
        if (col > x) this.cell(col - 1, y).text += g.text;
        else this.put(col, y, g.text, tone);
        continue;
      }
      this.put(col, y, g.text, tone);
      for (let i = 1; i < g.width; i++) this.put(col + i, y, '', tone);
      col += g.width;
    }
    return col;
  }

  put(x: number, y: number, text: string, tone: Tone = 'plain'): void {
    const cell = this.cell(x, y);
    cell.text = text;
    cell.tone = tone;
  }

  /** Record that `net` connects the given sides of one cell. */
  mark(x: number, y: number, net: string, mask: number, style: LineStyle, tone: Tone): void {
    if (mask === 0) return;
    const cell = this.cell(x, y);
    cell.lines ??= [];
    const existing = cell.lines.find((l) => l.net === net);
    if (!existing) {
      cell.lines.push({net, mask, style, tone});
      return;
    }
    existing.mask |= mask;
    // A trunk shared by edges of differing health or security claims neither.
    if (existing.tone !== tone) existing.tone = 'plain';
    if (existing.style !== style) existing.style = 'solid';
  }

  /** A horizontal run from x1 to x2 (either order) on row y, open at both ends. */
  horizontal(x1: number, x2: number, y: number, net: string, style: LineStyle, tone: Tone): void {
    const [from, to] = x1 <= x2 ? [x1, x2] : [x2, x1];
    for (let x = from; x <= to; x++) {
      const mask = (x > from ? WEST : 0) | (x < to ? EAST : 0);
      this.mark(x, y, net, mask, style, tone);
    }
  }

  vertical(x: number, y1: number, y2: number, net: string, style: LineStyle, tone: Tone): void {
    const [from, to] = y1 <= y2 ? [y1, y2] : [y2, y1];
    for (let y = from; y <= to; y++) {
      const mask = (y > from ? NORTH : 0) | (y < to ? SOUTH : 0);
      this.mark(x, y, net, mask, style, tone);
    }
  }

  /**
   * Draw a path of axis-parallel steps. The first and last points are open ends that reach
   * outward (`startSide`/`endSide`), so a path that starts at a box border connects to it.
   */
  path(points: ReadonlyArray<{x: number; y: number}>, net: string, style: LineStyle, tone: Tone, startSide: number, endSide: number): void {
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      if (a.y === b.y) this.horizontal(a.x, b.x, a.y, net, style, tone);
      else if (a.x === b.x) this.vertical(a.x, a.y, b.y, net, style, tone);
      else throw new Error('topology path step is not axis-parallel');
    }
    const first = points[0];
    const last = points[points.length - 1];
    this.mark(first.x, first.y, net, startSide, style, tone);
    this.mark(last.x, last.y, net, endSide, style, tone);
  }

  render(glyphs: GlyphSet, chalk: ChalkInstance): string[] {
    return this.rows.map((row) => {
      const cells = Array.from(row, (cell) => this.show(cell, glyphs));
      let end = cells.length;
      while (end > 0 && cells[end - 1].text === ' ') end--;
      let line = '';
      let pending = '';
      let pendingTone: Tone = 'plain';
      for (const {text, tone} of cells.slice(0, end)) {
        if (tone !== pendingTone) {
          if (pending) line += paint(chalk, pendingTone, pending);
          pending = '';
          pendingTone = tone;
        }
        pending += text;
      }
      if (pending) line += paint(chalk, pendingTone, pending);
      return line;
    });
  }

  private show(cell: Cell | undefined, glyphs: GlyphSet): {text: string; tone: Tone} {
    if (!cell) return {text: ' ', tone: 'plain'};
    if (cell.text !== undefined) return {text: cell.text, tone: cell.tone};
    const lines = cell.lines ?? [];
    if (lines.length === 0) return {text: ' ', tone: 'plain'};
    if (lines.length === 1) return {text: lineGlyph(glyphs, lines[0].mask, lines[0].style), tone: lines[0].tone};
    // Different nets crossing: the vertical one passes over, so neither looks like a junction.
    const vertical = lines.find((l) => l.mask === (NORTH | SOUTH));
    if (vertical && lines.every((l) => l === vertical || l.mask === (EAST | WEST))) {
      return {text: lineGlyph(glyphs, vertical.mask, vertical.style), tone: vertical.tone};
    }
    const mask = lines.reduce((m, l) => m | l.mask, 0);
    return {text: lineGlyph(glyphs, mask, lines[0].style), tone: lines[0].tone};
  }
}
