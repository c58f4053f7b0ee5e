import {formatDuration} from '../util/duration.js';

/**
 * While a window is being measured, show how long is left on stderr — only on a terminal,
 * rewriting one line, and erasing it when done so the data on stdout stays clean.
 */
export function countdown(stderr: NodeJS.WritableStream & {isTTY?: boolean}, windowMs: number): (remainingMs: number) => void {
  if (!stderr.isTTY) return () => {};
  return (remainingMs) => {
    if (remainingMs <= 0) stderr.write('\r\x1b[K');
    else stderr.write(`\r\x1b[Kmeasuring a ${formatDuration(windowMs)} window… ${Math.ceil(remainingMs / 1000)}s left`);
  };
}
