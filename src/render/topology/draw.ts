import {Canvas} from './canvas.js';
import {EAST, WEST, lineStyleFor, type GlyphSet} from './glyphs.js';
import type {Tone} from './health.js';
import {edgeLabel, type EdgeLabel, type LabelMode} from './labels.js';
import {LOOP_WIDTH, type Gap} from './gaps.js';
import {arrivesAt, portRow, type Item, type Loop, type Scene, type Segment} from './scene.js';
import {textWidth} from './text-width.js';

/** Put a laid-out scene on a canvas: boxes, edges passing through columns, gaps. */
export function drawScene(scene: Scene, gaps: Gap[], columnX: number[], width: number, glyphs: GlyphSet, mode: LabelMode): Canvas {
  const canvas = new Canvas(width);
  scene.columns.forEach((items, column) => {
    for (const item of items) {
      if (item.kind === 'box') drawBox(canvas, item, columnX[column], scene.columnWidths[column], glyphs);
      else drawPass(canvas, item, columnX[column], scene.columnWidths[column]);
    }
  });
  for (const gap of gaps) {
    const x0 = columnX[gap.index] + scene.columnWidths[gap.index];
    for (const net of gap.nets) for (const segment of net.segments) drawSegment(canvas, gap, net.id, segment, x0, glyphs, mode);
    for (const loop of gap.loops) drawLoop(canvas, loop, x0, glyphs, mode);
  }
  return canvas;
}

const edgeTone = (segment: {edge: Segment['edge']}): Tone => segment.edge.health;

function drawBox(canvas: Canvas, item: Item, x: number, width: number, glyphs: GlyphSet): void {
  const node = item.node!;
  const g = glyphs.boxes[node.kind];
  const tone: Tone = node.health === 'unknown' ? 'plain' : node.health;
  const bottom = item.top + item.height - 1;
  const right = x + width - 1;
  canvas.put(x, item.top, g.topLeft, tone);
  canvas.put(right, item.top, g.topRight, tone);
  canvas.put(x, bottom, g.bottomLeft, tone);
  canvas.put(right, bottom, g.bottomRight, tone);
  for (let col = x + 1; col < right; col++) {
    canvas.put(col, item.top, g.horizontal, tone);
    canvas.put(col, bottom, g.horizontal, tone);
  }
  for (let row = item.top + 1; row < bottom; row++) {
    canvas.put(x, row, g.vertical, tone);
    canvas.put(right, row, g.vertical, tone);
  }
  // A border a line leaves through shows where it starts; arrowheads mark where lines arrive.
  for (const port of item.right) {
    if (!arrivesAt(port) && port.loop !== 'in') canvas.put(right, portRow(port), glyphs.portRight, tone);
  }
  for (const port of item.left) {
    if (!arrivesAt(port)) canvas.put(x, portRow(port), glyphs.portLeft, tone);
  }
  item.lines.forEach((line, i) => canvas.text(x + 2, item.top + 1 + i, line, i === 0 ? 'plain' : 'muted'));
}

function drawPass(canvas: Canvas, item: Item, x: number, width: number): void {
  const edge = item.edge!;
  canvas.path([{x, y: item.top}, {x: x + width - 1, y: item.top}], `edge ${edge.index}`, lineStyleFor(edge.secured), edge.health, WEST, EAST);
}

function drawSegment(canvas: Canvas, gap: Gap, netId: number, segment: Segment, x0: number, glyphs: GlyphSet, mode: LabelMode): void {
  const xEnd = x0 + gap.width - 1;
  const trackStart = x0 + gap.leadWidth;
  const leftRow = portRow(segment.left);
  const rightRow = portRow(segment.right);
  const points = [{x: x0, y: leftRow}];
  const wires = gap.plan.wires.get(netId) ?? [];
  wires.forEach((wire, i) => {
    const trackX = trackStart + wire.track;
    points.push({x: trackX, y: wire.fromRow}, {x: trackX, y: i === wires.length - 1 ? rightRow : wire.toRows[0]});
  });
  points.push({x: xEnd, y: rightRow});
  const tone = edgeTone(segment);
  canvas.path(points, `gap ${gap.index} net ${netId}`, lineStyleFor(segment.edge.secured), tone, WEST, EAST);

  if (segment.head === 'right') {
    canvas.put(xEnd, rightRow, glyphs.arrowRight, tone);
    const zoneStart = trackStart + gap.trackAreaWidth;
    writeLabel(canvas, edgeLabel(segment.edge, mode), zoneStart, gap.rightZoneWidth, rightRow, tone);
  } else if (segment.head === 'left') {
    canvas.put(x0, leftRow, glyphs.arrowLeft, tone);
    writeLabel(canvas, edgeLabel(segment.edge, mode), x0 + 1, gap.leftLabelWidth + 2, leftRow, tone);
  }
}

/** Centre each line of a label in a zone; the success rate sits on the edge's own row. */
function writeLabel(canvas: Canvas, label: EdgeLabel, zoneStart: number, zoneWidth: number, row: number, tone: Tone): void {
  const centred = (text: string) => zoneStart + Math.floor((zoneWidth - textWidth(text)) / 2);
  if (label.above !== null) canvas.text(centred(label.above), row - 1, label.above, 'plain');
  if (label.on !== null) canvas.text(centred(label.on), row, label.on, tone);
  if (label.below !== null) canvas.text(centred(label.below), row + 1, label.below, 'plain');
}

/** `├─┐ rps` / `│ │ success` / `│◀┘ p99`: out of the box's right side and back in. */
function drawLoop(canvas: Canvas, loop: Loop, x0: number, glyphs: GlyphSet, mode: LabelMode): void {
  const out = portRow(loop.out);
  const back = portRow(loop.in);
  const tone = edgeTone(loop);
  const turn = x0 + LOOP_WIDTH - 2;
  canvas.path([{x: x0, y: out}, {x: turn, y: out}, {x: turn, y: back}, {x: x0, y: back}], `edge ${loop.edge.index}`, lineStyleFor(loop.edge.secured), tone, WEST, WEST);
  canvas.put(x0, back, glyphs.arrowLeft, tone);
  const label = edgeLabel(loop.edge, mode);
  const x = x0 + LOOP_WIDTH;
  if (label.above !== null) canvas.text(x, out, label.above, 'plain');
  if (label.on !== null) canvas.text(x, out + 1, label.on, tone);
  if (label.below !== null) canvas.text(x, back, label.below, 'plain');
}
