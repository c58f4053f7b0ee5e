import type {ChalkInstance} from 'chalk';
import {EXIT} from '../exit-codes.js';
import type {ProxyFailure} from '../model/failure.js';
import {sanitize} from './sanitize.js';

/** One stderr line per proxy that could not be read, naming it and saying why. */
export function renderFailures(failures: readonly ProxyFailure[], chalk: ChalkInstance): string {
  return failures
    .map((f) => `${chalk.red('error')}: proxy ${sanitize(f.target.name)}: ${sanitize(f.message)}\n`)
    .join('');
}

/** 0 when every proxy answered, 3 when some did, 1 when none did. */
export function exitCodeFor(answered: number, failed: number): number {
  if (failed === 0) return EXIT.OK;
  return answered > 0 ? EXIT.PARTIAL : EXIT.ERROR;
}
