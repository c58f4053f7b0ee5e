import type {ChalkInstance} from 'chalk';
import {sanitize} from '../../render/sanitize.js';
import {durationMs, serviceName, STATUS_CODE, type Span} from '../model.js';
import {splitHop, type HopSplit} from '../proxy-split.js';
import {summarizeTrace, summaryDurationMs} from '../summary.js';
import {buildTree, flattenTree, type TreeRow} from '../tree.js';
import {fit, fitRight, formatMs, truncate, wrapParts} from './format.js';
import {kindLabel} from './span-line.js';

const SERVICE = 10;
const KIND = 7;
const DURATION = 7;
const PROXY = 7;
const SVC = 8;
const FIXED = SERVICE + KIND + DURATION + PROXY + SVC + 6;
const MIN_BAR = 20;
const MIN_LABEL = 12;
const MAX_LABEL = 40;

export interface WaterfallOptions {
  width: number;
  chalk: ChalkInstance;
  /** Extra words for the title line, e.g. `shown early: room was needed`. */
  notes?: string[];
}

interface Marks {
  orphan: boolean;
  error: boolean;
  unknown: boolean;
  bound: boolean;
  network: boolean;
}

/**
 * A trace as a waterfall: one row per span nested by parent, its service, kind, duration,
 * the proxy/service split for proxy spans (see proxy-split.ts), and a bar on a time axis
 * scaled to the width (80 columns at least).
 */
export function renderWaterfall(traceId: string, spans: readonly Span[], options: WaterfallOptions): string {
  const {chalk} = options;
  const width = Math.max(80, options.width);
  const rows = flattenTree(buildTree(spans));
  const summary = summarizeTrace(traceId, spans);
  const total = summary.endUnixNano - summary.startUnixNano;
  const totalMs = summaryDurationMs(summary);

  const labels = rows.map(rowLabel);
  const longest = Math.max(...labels.map((label) => [...label].length), 'SPAN'.length);
  const labelWidth = Math.max(MIN_LABEL, Math.min(longest, MAX_LABEL, width - FIXED - MIN_BAR));
  const barWidth = width - FIXED - labelWidth;

  const marks: Marks = {orphan: false, error: false, unknown: false, bound: false, network: false};
  const lines = titleLines(traceId, summary.rootName, rows.length, summary.services.length, totalMs, options.notes ?? [], width);
  lines.push(
    [
      fit('SPAN', labelWidth),
      fit('SERVICE', SERVICE),
      fit('KIND', KIND),
      fitRight('DUR', DURATION),
      fitRight('PROXY', PROXY),
      fitRight('SVC', SVC),
      axis(totalMs, barWidth),
    ].join(' '),
  );
  rows.forEach((row, i) => {
    const span = row.node.span;
    const split = splitHop(row.node, row.parent);
    marks.orphan ||= row.node.orphan;
    marks.error ||= span.status.code === STATUS_CODE.ERROR;
    const cells = splitCells(split, marks);
    const bar = drawBar(span.startTimeUnixNano - summary.startUnixNano, span.endTimeUnixNano - summary.startUnixNano, total, barWidth);
    const line = [
      fit(labels[i], labelWidth),
      fit(sanitize(serviceName(span)), SERVICE),
      fit(kindLabel(span), KIND),
      fitRight(formatMs(durationMs(span)), DURATION),
      fitRight(cells.proxy, PROXY),
      fitRight(cells.service, SVC),
      span.status.code === STATUS_CODE.ERROR ? chalk.red(bar) : bar,
    ].join(' ');
    lines.push(line.trimEnd());
  });
  for (const legend of wrapParts(legendParts(marks), width)) lines.push(chalk.dim(legend));
  return `${lines.join('\n')}\n`;
}

function rowLabel(row: TreeRow): string {
  let prefix = '';
  for (let level = 1; level < row.depth; level++) prefix += row.lastAtLevel[level] ? '  ' : '│ ';
  if (row.depth > 0) prefix += row.lastAtLevel[row.depth] ? '└ ' : '├ ';
  const span = row.node.span;
  const markers = `${row.node.orphan ? '? ' : ''}${span.status.code === STATUS_CODE.ERROR ? '!' : ''}`;
  return `${prefix}${markers}${sanitize(span.name) || '(unnamed)'}`;
}

/** `trace ID  ROOT  N spans  K services  DURATION  NOTES`, the root name cut to fit the width. */
function titleLines(traceId: string, rootName: string, spans: number, services: number, totalMs: number, notes: string[], width: number): string[] {
  const head = `trace ${traceId}`;
  const tail = [`${spans} span${spans === 1 ? '' : 's'}`, `${services} service${services === 1 ? '' : 's'}`, formatMs(totalMs)].join('  ');
  const room = Math.max(10, width - head.length - tail.length - 4);
  const title = [head, truncate(sanitize(rootName) || '(unnamed)', room), tail].join('  ');
  const withNotes = [title, ...notes].join('  ');
  if ([...withNotes].length <= width) return [withNotes];
  return [truncate(title, width), ...wrapParts(notes, width, '  ', '  ')];
}

function splitCells(split: HopSplit | undefined, marks: Marks): {proxy: string; service: string} {
  if (!split) return {proxy: '', service: ''};
  let proxy = formatMs(split.proxyMs);
  if (split.proxyMs === null) marks.unknown = true;
  else if (split.proxyIncludesNetwork) {
    proxy += '*';
    marks.network = true;
  }
  let service = '';
  if (split.serviceMs === null) {
    service = '?';
    marks.unknown = true;
  } else if (split.serviceMs !== undefined) {
    service = `${split.serviceIsUpperBound ? '≤' : ''}${formatMs(split.serviceMs)}`;
    marks.bound ||= split.serviceIsUpperBound;
  }
  return {proxy, service};
}

/** `0` at the left edge, the total at the right, the middle marked when there is room. */
function axis(totalMs: number, width: number): string {
  const right = formatMs(totalMs);
  const cells = Array.from({length: width}, () => ' ');
  const place = (text: string, at: number) => [...text].forEach((ch, i) => (cells[at + i] = ch));
  place('0', 0);
  place(right, width - [...right].length);
  const middle = formatMs(totalMs / 2);
  if (width >= 30) place(middle, Math.floor(width / 2 - [...middle].length / 2));
  return cells.join('');
}

/** A bar from `start` to `end` (nanoseconds from the trace start) on a `width`-cell axis. */
export function drawBar(start: bigint, end: bigint, total: bigint, width: number): string {
  const span = total > 0n ? total : 1n;
  const clamp = (n: number) => Math.min(width, Math.max(0, n));
  const from = clamp(Math.floor((Number(start) / Number(span)) * width));
  let to = clamp(Math.ceil((Number(end) / Number(span)) * width));
  if (to <= from) to = Math.min(width, from + 1);
  const offset = Math.min(from, width - 1);
  return ' '.repeat(offset) + '█'.repeat(Math.max(1, to - offset));
}

function legendParts(marks: Marks): string[] {
  const parts: string[] = [];
  if (marks.orphan) parts.push('? parent span not received');
  if (marks.error) parts.push('! status ERROR');
  if (marks.unknown) parts.push('PROXY/SVC ? cannot be told from these spans');
  if (marks.bound) parts.push('≤ upper bound, includes the sidecar');
  if (marks.network) parts.push('* includes the network to the next hop');
  return parts;
}
