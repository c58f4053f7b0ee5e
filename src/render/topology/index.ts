/**
 * The mesh topology in a terminal, and as DOT and Mermaid. The terminal drawing is built in
 * steps, one file each:
 *
 *   prepare      sanitize names, fix one order for nodes and edges, work out health
 *   layering     dagre: a column for each node (left to right from entry points, cycles
 *                broken) and the top-to-bottom order within each column
 *   build-scene  boxes, the points where long edges cross a column, ports on box sides
 *   rows         the row of every box, so edges run as straight as they can
 *   gaps/tracks  the columns between boxes: a track per vertical run, label zones
 *   draw/canvas  all of it as characters, with colour by health
 *
 * When no drawing fits the width the graph is listed instead (listing.ts).
 */
import type {ChalkInstance} from 'chalk';
import type {TopologyGraph} from '../../model/topology.js';
import {boxLines, buildScene, BOX_PADDING, type SceneOptions} from './build-scene.js';
import {drawScene} from './draw.js';
import {columnPositions, planGaps} from './gaps.js';
import {glyphsFor} from './glyphs.js';
import {DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds} from './health.js';
import type {LabelMode} from './labels.js';
import {layer, type Layering} from './layering.js';
import {legendLines} from './legend.js';
import {renderListing} from './listing.js';
import {prepareGraph, type PreparedGraph} from './prepare.js';
import {placeRows} from './rows.js';
import {textWidth} from './text-width.js';

export {renderDot} from './dot.js';
export {renderMermaid} from './mermaid.js';
export {DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds} from './health.js';

export interface TopologyRenderOptions {
  /** Columns available; no output line is ever wider. Infinity draws at any width. */
  width: number;
  /** Box-drawing characters; false for plain ASCII. */
  unicode: boolean;
  /** Colours health; a chalk with level 0 gives plain text. */
  color: ChalkInstance;
  healthThresholds?: HealthThresholds;
}

export interface TopologyRender {
  /** The drawing (or listing) and its key, ending in a newline. */
  text: string;
  /** Set when the graph did not fit and was shown in a reduced form: what was reduced and why. */
  notice?: string;
}

/**
 * The ways of showing a graph, tried in order until one fits the width: full three-row edge
 * labels; the success rate alone; then names cut shorter and shorter. Past that the graph is
 * listed instead of drawn.
 */
const ATTEMPTS: ReadonlyArray<{mode: LabelMode; maxNameWidth: number; reduced: string | null}> = [
  {mode: 'stacked', maxNameWidth: Infinity, reduced: null},
  {mode: 'success', maxNameWidth: Infinity, reduced: 'edge labels show the success rate only'},
  {mode: 'success', maxNameWidth: 20, reduced: 'edge labels show the success rate only and names are cut to 20 columns'},
  {mode: 'success', maxNameWidth: 10, reduced: 'edge labels show the success rate only and names are cut to 10 columns'},
];

/** Past these the layout would take long and could not be read in a terminal anyway. */
export const MAX_DRAWN_NODES = 100;
export const MAX_DRAWN_EDGES = 250;

/** The narrowest a gap between two columns of boxes can be: a line and an arrowhead. */
const MIN_GAP_WIDTH = 3;

const DEFAULT_WIDTH = 80;

const ALTERNATIVES = '-o dot or -o mermaid draw it in full, -o table lists every figure';

export function renderTopology(graph: TopologyGraph, options: TopologyRenderOptions): TopologyRender {
  const width = Number.isNaN(options.width) ? DEFAULT_WIDTH : Math.max(1, Math.floor(options.width));
  const thresholds = options.healthThresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const glyphs = glyphsFor(options.unicode);
  const chalk = options.color;
  const prepared = prepareGraph(graph, thresholds);
  if (prepared.nodes.length === 0) return {text: 'No edges found.\n'};

  const listed = (order: string[], notice: string): TopologyRender => ({
    text: `${renderListing(prepared, order, glyphs, chalk, width).join('\n')}\n`,
    notice,
  });
  if (prepared.nodes.length > MAX_DRAWN_NODES || prepared.edges.length > MAX_DRAWN_EDGES) {
    const size = `${prepared.nodes.length} nodes and ${prepared.edges.length} edges`;
    return listed([], `topology: ${size} are too many to draw in a terminal, so they are listed; ${ALTERNATIVES}`);
  }

  const layering = layer({graph: prepared, boxSize: (id) => approximateBox(prepared, id)});
  const tooWide = `topology: the graph is too wide to draw in ${width} columns, so it is listed instead; ${ALTERNATIVES}`;
  if (narrowestWidth(prepared, layering, glyphs.ellipsis) > width) return listed(drawingOrder(layering), tooWide);
  for (const attempt of ATTEMPTS) {
    const sceneOptions = {maxNameWidth: attempt.maxNameWidth, ellipsis: glyphs.ellipsis, stackedLabels: attempt.mode === 'stacked'};
    // Cut names that no longer tell two boxes apart make a drawing worse than a listing.
    if (!namesStayDistinct(prepared, sceneOptions)) continue;
    const scene = buildScene(prepared, layering, sceneOptions);
    placeRows(scene);
    const gaps = planGaps(scene, attempt.mode);
    const positions = columnPositions(scene, gaps);
    if (positions.width > width) continue;
    const canvas = drawScene(scene, gaps, positions.x, positions.width, glyphs, attempt.mode);
    const legend = legendLines(prepared, attempt.mode, glyphs, chalk, thresholds, width);
    const text = `${[...canvas.render(glyphs, chalk), '', ...legend].join('\n')}\n`;
    if (!attempt.reduced) return {text};
    return {text, notice: `topology: the graph is wider than ${width} columns, so ${attempt.reduced}; ${ALTERNATIVES}`};
  }
  return listed(drawingOrder(layering), tooWide);
}

/** No drawing of this layering can be narrower: the shortest names and the slimmest gaps. */
function narrowestWidth(graph: PreparedGraph, layering: Layering, ellipsis: string): number {
  const last = ATTEMPTS[ATTEMPTS.length - 1];
  const options = {maxNameWidth: last.maxNameWidth, ellipsis, stackedLabels: false};
  const columns = layering.columns.map((entries) =>
    Math.max(1, ...entries.flatMap((e) => (e.kind === 'node' ? [Math.max(...boxLines(graph.byId.get(e.id)!, graph.showNamespaces, options).map(textWidth)) + BOX_PADDING] : []))),
  );
  return columns.reduce((sum, w) => sum + w, 0) + (columns.length - 1) * MIN_GAP_WIDTH;
}

function namesStayDistinct(graph: PreparedGraph, options: SceneOptions): boolean {
  const shown = new Set(graph.nodes.map((n) => boxLines(n, graph.showNamespaces, options).join('\n')));
  const full = new Set(graph.nodes.map((n) => boxLines(n, graph.showNamespaces, {...options, maxNameWidth: Infinity}).join('\n')));
  return shown.size === full.size;
}

function approximateBox(graph: PreparedGraph, id: string): {width: number; height: number} {
  const node = graph.byId.get(id)!;
  const lines = graph.showNamespaces && node.namespace !== null ? [node.name, node.namespace] : [node.name];
  return {width: Math.min(32, Math.max(...lines.map(textWidth))) + BOX_PADDING, height: lines.length + 2};
}

/** Nodes left to right, top to bottom, as the drawing would place them. */
function drawingOrder(layering: Layering): string[] {
  return layering.columns.flatMap((entries) => entries.flatMap((e) => (e.kind === 'node' ? [e.id] : [])));
}
