/**
 * Reads a Unicode topology drawing back into edges, the way a person would: find the boxes,
 * then from every place a line leaves a box follow it (through crossings, round corners,
 * along every branch of a junction, over label text) to the arrowheads it reaches. Written
 * from the drawing's conventions, not from the renderer's code, so tests can check that the
 * picture says what the graph says. Box names must be ASCII (one column per character).
 * Lines that lead back into a box anywhere but at an arrowhead are an error: the drawing
 * never merges lines that come from different boxes, because then it could not be read.
 */

export interface ReadBox {
  name: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface ReadDrawing {
  boxes: ReadBox[];
  /** `from -> to` by box name, one entry per arrowhead reached. */
  edges: string[];
}

const N = 1;
const E = 2;
const S = 4;
const W = 8;
const STRAIGHT_H = new Set(['─', '╌', '┈']);
const STRAIGHT_V = new Set(['│', '╎', '┊']);
const TURNS: Record<string, number> = {
  '┌': E | S,
  '┐': W | S,
  '└': N | E,
  '┘': N | W,
  '├': N | E | S,
  '┤': N | W | S,
  '┬': E | S | W,
  '┴': N | E | W,
  '┼': N | E | S | W,
};
const BOX_TOP_LEFT = new Set(['┌', '╔', '╭']);
const BOX_TOP_RIGHT: Record<string, string> = {'┌': '┐', '╔': '╗', '╭': '╮'};
const BOX_BOTTOM_LEFT: Record<string, string> = {'┌': '└', '╔': '╚', '╭': '╰'};
const STEP: Record<number, [number, number]> = {[N]: [0, -1], [E]: [1, 0], [S]: [0, 1], [W]: [-1, 0]};
const OPPOSITE: Record<number, number> = {[N]: S, [S]: N, [E]: W, [W]: E};

export function readDrawing(text: string): ReadDrawing {
  const grid = text.split('\n').map((line) => Array.from(line));
  const at = (x: number, y: number) => grid[y]?.[x] ?? ' ';
  const boxes = findBoxes(grid, at);
  const boxAt = (x: number, y: number) => boxes.find((b) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom);

  const edges: string[] = [];
  for (const box of boxes) {
    for (let y = box.top + 1; y < box.bottom; y++) {
      if (at(box.right, y) === '├') follow(box.right + 1, y, E, box);
      if (at(box.left, y) === '┤') follow(box.left - 1, y, W, box);
    }
  }
  return {boxes, edges};

  function follow(startX: number, startY: number, heading: number, from: ReadBox): void {
    const seen = new Set<string>();
    const walk = (x: number, y: number, dir: number): void => {
      for (let steps = 0; ; steps++) {
        if (steps > 100_000) throw new Error('line never ends');
        const key = `${x},${y},${dir}`;
        if (seen.has(key)) return;
        seen.add(key);
        if (boxAt(x, y)) throw new Error(`line from ${from.name} runs into a box at ${x},${y}`);
        const c = at(x, y);
        if (c === '▶' || c === '◀') {
          if ((c === '▶') !== (dir === E)) throw new Error(`arrowhead ${c} met heading ${dir} at ${x},${y}`);
          const target = boxAt(c === '▶' ? x + 1 : x - 1, y);
          if (!target) throw new Error(`arrowhead at ${x},${y} points at no box`);
          edges.push(`${from.name} -> ${target.name}`);
          return;
        }
        let exits: number[];
        if (STRAIGHT_H.has(c) && (dir === E || dir === W)) exits = [dir];
        else if (STRAIGHT_V.has(c) && (dir === N || dir === S)) exits = [dir];
        // A line crossing another passes straight over it.
        else if (STRAIGHT_V.has(c) || STRAIGHT_H.has(c)) exits = [dir];
        else if (c in TURNS) {
          const mask = TURNS[c];
          if (!(mask & OPPOSITE[dir])) throw new Error(`line heading ${dir} meets ${c} from a side it does not have at ${x},${y}`);
          exits = [N, E, S, W].filter((d) => mask & d && d !== OPPOSITE[dir]);
        } else if (c !== ' ' && (dir === E || dir === W)) exits = [dir];
        else throw new Error(`line from ${from.name} ends in '${c}' at ${x},${y}`);
        if (exits.length !== 1) {
          for (const d of exits) walk(x + STEP[d][0], y + STEP[d][1], d);
          return;
        }
        dir = exits[0];
        x += STEP[dir][0];
        y += STEP[dir][1];
      }
    };
    walk(startX, startY, heading);
  }
}

const BOX_BOTTOM_RIGHT: Record<string, string> = {'┌': '┘', '╔': '╝', '╭': '╯'};

/** A box is a closed rectangle of border characters with a name on its first inside row. */
function findBoxes(grid: string[][], at: (x: number, y: number) => string): ReadBox[] {
  const boxes: ReadBox[] = [];
  grid.forEach((row, top) =>
    row.forEach((corner, left) => {
      if (!BOX_TOP_LEFT.has(corner)) return;
      let right = left + 1;
      while (right < row.length && at(right, top) !== BOX_TOP_RIGHT[corner] && !/[ ▶◀]/.test(at(right, top))) right++;
      if (at(right, top) !== BOX_TOP_RIGHT[corner]) return;
      let bottom = top + 1;
      while (bottom < grid.length && at(left, bottom) !== BOX_BOTTOM_LEFT[corner] && at(left, bottom) !== ' ') bottom++;
      if (at(left, bottom) !== BOX_BOTTOM_LEFT[corner] || at(right, bottom) !== BOX_BOTTOM_RIGHT[corner] || bottom < top + 2) return;
      for (let y = top + 1; y < bottom; y++) if (at(right, y) === ' ') return;
      for (let x = left + 1; x < right; x++) if (at(x, bottom) === ' ') return;
      const name = grid[top + 1].slice(left + 1, right).join('').trim();
      if (name !== '') boxes.push({name, top, left, bottom, right});
    }),
  );
  return boxes;
}
