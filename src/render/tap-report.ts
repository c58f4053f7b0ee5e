import type {ChalkInstance} from 'chalk';
import type {UserError} from '../errors.js';
import {formatBytes} from '../util/bytes.js';
import {formatDuration} from '../util/duration.js';
import {sanitize} from './sanitize.js';

/**
 * stderr lines about the proxies of a live command. A refusal's message starts with the
 * proxy's name (`web-0: Linkerd proxies cannot…`); proxies refused for the same reason are
 * named together on one line, with the hint once, so ten Linkerd proxies give one message.
 */
export function renderRefusals(refusals: readonly {target: {name: string}; error: UserError}[], chalk: ChalkInstance): string {
  const groups = new Map<string, {names: string[]; error: UserError}>();
  for (const {target, error} of refusals) {
    const prefix = `${target.name}: `;
    const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const key = `${reason}\u0000${error.hint ?? ''}`;
    const group = groups.get(key) ?? {names: [], error};
    group.names.push(target.name);
    groups.set(key, group);
  }
  let out = '';
  for (const [key, {names, error}] of groups) {
    const reason = key.slice(0, key.indexOf('\u0000'));
    out += `${chalk.red('error')}: ${sanitize(names.join(', '))}: ${sanitize(reason)}\n`;
    if (error.hint) out += `  ${sanitize(error.hint)}\n`;
  }
  return out;
}

export function renderDropped(name: string, reason: string, chalk: ChalkInstance): string {
  return `${chalk.red('error')}: proxy ${sanitize(name)}: ${sanitize(reason)}\n`;
}

/**
 * Warnings about parts of a stream (a trace that could not be read). The same warning
 * repeated is printed once; after `maxDistinct` different ones the rest are only counted.
 */
export class WarningLog {
  private readonly seen = new Set<string>();
  suppressed = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly chalk: ChalkInstance,
    private readonly maxDistinct = 20,
  ) {}

  warn(message: string): void {
    if (this.seen.has(message) || this.seen.size >= this.maxDistinct) {
      this.suppressed++;
      return;
    }
    this.seen.add(message);
    this.write(`${this.chalk.yellow('warning')}: ${sanitize(message)}\n`);
  }

  /** One closing line when warnings were held back; empty otherwise. */
  closing(): string {
    return this.suppressed > 0 ? `${this.chalk.yellow('warning')}: ${this.suppressed} more warning(s) not shown\n` : '';
  }
}

export interface TapTally {
  /** Requests printed. */
  shown: number;
  /** Requests that passed every filter but were not printed because stdout was not being read. */
  unprinted: number;
  matched: number;
  sampledOut: number;
  proxies: number;
  elapsedMs: number;
  /** Why the run stopped: `--count 20 reached`, `--duration 30s elapsed`, `interrupted`, ... */
  stoppedBy: string;
}

/** The last stderr line of a tap run: how many requests were seen and shown. */
export function renderTapTally(tally: TapTally): string {
  const events = (n: number) => `${n} request${n === 1 ? '' : 's'}`;
  const sampled = tally.sampledOut > 0 ? `, ${tally.sampledOut} left out by --max-rps` : '';
  const unread = tally.unprinted > 0 ? `, ${tally.unprinted} not printed while the output was not being read` : '';
  const seen = tally.matched !== tally.shown ? ` of ${tally.matched} matching${sampled}${unread}` : '';
  return `tap: ${events(tally.shown)} shown${seen} from ${tally.proxies} prox${tally.proxies === 1 ? 'y' : 'ies'} in ${formatDuration(tally.elapsedMs)} (${tally.stoppedBy})\n`;
}

/** Said once, when a live command first counts records instead of printing them. */
export function renderOutputBacklog(records: string, waitingBytes: number, chalk: ChalkInstance): string {
  return `${chalk.yellow('warning')}: the output is not being read (${formatBytes(waitingBytes)} waiting); ${records} are counted but not printed until it is read again\n`;
}
