import {sanitize} from '../../render/sanitize.js';
import {summaryDurationMs, type TraceSummary} from '../summary.js';
import {clockTime, fit, fitRight, formatMs} from './format.js';

const ID = 32;
const START = 12;
const SPANS = 5;
const DURATION = 8;
const GAPS = 5;

/** The traces of a capture, one per line: id, start, root span, services, spans, duration. */
export function renderTraceList(summaries: readonly TraceSummary[], width: number): string {
  const flexible = Math.max(20, width - (ID + START + SPANS + DURATION + GAPS));
  const rootWidth = Math.ceil(flexible / 2);
  const servicesWidth = flexible - rootWidth;
  const lines = [
    [fit('TRACE ID', ID), fit('START', START), fit('ROOT', rootWidth), fit('SERVICES', servicesWidth), fitRight('SPANS', SPANS), fitRight('DURATION', DURATION)]
      .join(' ')
      .trimEnd(),
  ];
  for (const summary of summaries) {
    const root = `${summary.rootReceived ? '' : '? '}${sanitize(summary.rootService)}: ${sanitize(summary.rootName)}`;
    lines.push(
      [
        summary.traceId,
        clockTime(summary.startUnixNano),
        fit(root, rootWidth),
        fit(summary.services.map(sanitize).join(','), servicesWidth),
        fitRight(String(summary.spanCount), SPANS),
        fitRight(formatMs(summaryDurationMs(summary)), DURATION),
      ].join(' '),
    );
  }
  if (summaries.some((summary) => !summary.rootReceived)) lines.push('  ? root span not received: the earliest span is shown');
  return `${lines.join('\n')}\n`;
}
