import {render} from 'ink';
import {TopScreen, type TopScreenProps} from './TopScreen.js';

export interface TopTerminal {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Mount the top screen on a real terminal. The caller checks first that stdout is a TTY
 * (otherwise it prints NDJSON snapshots, see ndjson.ts). Resolves when the user quits or
 * `unmount()` is called (e.g. on Ctrl-C from the command's abort signal).
 */
export function mountTop(props: TopScreenProps, terminal: TopTerminal): {done: Promise<void>; unmount: () => void} {
  const instance = render(<TopScreen {...props} />, {
    stdout: terminal.stdout,
    stdin: terminal.stdin,
    stderr: terminal.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {done: instance.waitUntilExit().then(() => undefined), unmount: () => instance.unmount()};
}
