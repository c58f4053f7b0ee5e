import type {ChalkInstance} from 'chalk';
import {sanitize} from '../../render/sanitize.js';
import {durationMs, kindName, serviceName, STATUS_CODE, type Span} from '../model.js';
import {proxySpanInfo} from '../proxy-split.js';
import {clockTime, fit, fitRight, formatMs} from './format.js';

const TIME = 12;
const TRACE = 8;
const SERVICE = 14;
const KIND = 7;
const DURATION = 9;
const STATUS = 6;
const GAPS = 6;

function nameWidth(width: number): number {
  return Math.max(10, width - (TIME + TRACE + SERVICE + KIND + DURATION + STATUS + GAPS));
}

const KIND_SHORT: Record<string, string> = {
  SERVER: 'srv',
  CLIENT: 'cli',
  INTERNAL: 'int',
  PRODUCER: 'prod',
  CONSUMER: 'cons',
  UNSPECIFIED: '-',
};

/** `srv`, `cli`, `int`, `prod`, `cons`; proxy spans add their direction: `srv in`, `cli out`. */
export function kindLabel(span: Span): string {
  const name = kindName(span.kind);
  const kind = KIND_SHORT[name] ?? name.toLowerCase();
  const proxy = proxySpanInfo(span);
  return proxy ? `${kind} ${proxy.direction === 'inbound' ? 'in' : 'out'}` : kind;
}

function statusLabel(span: Span): string {
  if (span.status.code === STATUS_CODE.ERROR) return 'ERROR';
  if (span.status.code === STATUS_CODE.OK) return 'OK';
  return span.status.code === STATUS_CODE.UNSET ? '-' : String(span.status.code);
}

export function spanLineHeader(width: number): string {
  return [
    fit('TIME', TIME),
    fit('TRACE', TRACE),
    fit('SERVICE', SERVICE),
    fit('KIND', KIND),
    fit('NAME', nameWidth(width)),
    fitRight('DURATION', DURATION),
    'STATUS',
  ].join(' ');
}

/** One line per received span: start time, short trace id, service, kind, name, duration, status. */
export function spanLine(span: Span, width: number, chalk: ChalkInstance): string {
  const status = statusLabel(span);
  return [
    clockTime(span.startTimeUnixNano),
    span.traceId.slice(0, TRACE),
    fit(sanitize(serviceName(span)), SERVICE),
    fit(kindLabel(span), KIND),
    fit(sanitize(span.name), nameWidth(width)),
    fitRight(formatMs(durationMs(span)), DURATION),
    status === 'ERROR' ? chalk.red(status) : status,
  ].join(' ');
}
