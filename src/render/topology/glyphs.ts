import type {TopologyNodeKind} from '../../model/topology.js';

/**
 * The characters the topology drawing is made of, in a Unicode box-drawing set and a plain
 * ASCII set. Line pieces are looked up by which of their four sides connect (N, E, S, W).
 */

export const NORTH = 1;
export const EAST = 2;
export const SOUTH = 4;
export const WEST = 8;

/**
 * How a line is drawn says whether the hop is secured: solid for mTLS, dashed for plaintext,
 * dotted when unknown. Only straight pieces can show it; corners and junctions stay solid.
 */
export type LineStyle = 'solid' | 'dashed' | 'dotted';

export function lineStyleFor(secured: boolean | null): LineStyle {
  if (secured === true) return 'solid';
  if (secured === false) return 'dashed';
  return 'dotted';
}

export interface BoxGlyphs {
  topLeft: string;
  topRight: string;
  bottomLeft: string;
  bottomRight: string;
  horizontal: string;
  vertical: string;
}

export interface GlyphSet {
  /** Indexed by the N|E|S|W mask; index 0 is unused. */
  junctions: string[];
  horizontal: Record<LineStyle, string>;
  vertical: Record<LineStyle, string>;
  arrowRight: string;
  arrowLeft: string;
  /** A line leaving a box through its right / left border. */
  portRight: string;
  portLeft: string;
  ellipsis: string;
  atLeast: string;
  boxes: Record<TopologyNodeKind, BoxGlyphs>;
}

function junctionTable(pieces: Record<number, string>, fallback: string): string[] {
  return Array.from({length: 16}, (_, mask) => pieces[mask] ?? fallback);
}

const box = (corners: string, horizontal: string, vertical: string): BoxGlyphs => ({
  topLeft: corners[0],
  topRight: corners[1],
  bottomLeft: corners[2],
  bottomRight: corners[3],
  horizontal,
  vertical,
});

export const UNICODE_GLYPHS: GlyphSet = {
  junctions: junctionTable(
    {
      [EAST | WEST]: '─',
      [NORTH | SOUTH]: '│',
      [EAST | SOUTH]: '┌',
      [WEST | SOUTH]: '┐',
      [NORTH | EAST]: '└',
      [NORTH | WEST]: '┘',
      [NORTH | EAST | SOUTH]: '├',
      [NORTH | WEST | SOUTH]: '┤',
      [EAST | SOUTH | WEST]: '┬',
      [NORTH | EAST | WEST]: '┴',
      [NORTH | EAST | SOUTH | WEST]: '┼',
      [EAST]: '─',
      [WEST]: '─',
      [NORTH]: '│',
      [SOUTH]: '│',
    },
    '┼',
  ),
  horizontal: {solid: '─', dashed: '╌', dotted: '┈'},
  vertical: {solid: '│', dashed: '╎', dotted: '┊'},
  arrowRight: '▶',
  arrowLeft: '◀',
  portRight: '├',
  portLeft: '┤',
  ellipsis: '…',
  atLeast: '≥',
  boxes: {
    workload: box('┌┐└┘', '─', '│'),
    ingress: box('╔╗╚╝', '═', '║'),
    external: box('╭╮╰╯', '─', '│'),
    unknown: box('╭╮╰╯', '┄', '┆'),
  },
};

export const ASCII_GLYPHS: GlyphSet = {
  junctions: junctionTable({[EAST | WEST]: '-', [NORTH | SOUTH]: '|', [EAST]: '-', [WEST]: '-', [NORTH]: '|', [SOUTH]: '|'}, '+'),
  horizontal: {solid: '-', dashed: '~', dotted: '.'},
  vertical: {solid: '|', dashed: '!', dotted: ':'},
  arrowRight: '>',
  arrowLeft: '<',
  portRight: '+',
  portLeft: '+',
  ellipsis: '...',
  atLeast: '>=',
  boxes: {
    workload: box('++++', '-', '|'),
    ingress: box('####', '=', '#'),
    external: box("..''", '-', '|'),
    unknown: box('++++', '.', ':'),
  },
};

export function glyphsFor(unicode: boolean): GlyphSet {
  return unicode ? UNICODE_GLYPHS : ASCII_GLYPHS;
}

/** The character for a line cell: straight pieces carry the line style, the rest are junctions. */
export function lineGlyph(glyphs: GlyphSet, mask: number, style: LineStyle): string {
  if (mask === (EAST | WEST)) return glyphs.horizontal[style];
  if (mask === (NORTH | SOUTH)) return glyphs.vertical[style];
  return glyphs.junctions[mask];
}
