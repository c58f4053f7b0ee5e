import {render} from 'ink';
import {TopScreen, type TopScreenProps} from './TopScreen.js';

export interface TopTerminal {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/**
 * Mount the top screen on a real terminal. The caller checks first that stdout is a TTY
 * (otherwise it prints NDJSON snapshots, see ndjson.ts). Resolves when the user quits or
 * `unmount()` is called (e.g. on Ctrl-C from the command's abort signal).
 *
 * The screen runs in the terminal's alternate screen, as full-screen tools do, so the
 * user's scrollback is left as it was. When the terminal gets narrower, the terminal may
 * re-wrap the lines already drawn, and ink, which erases its previous frame by counting
 * lines, would leave pieces of it behind; so the screen is cleared first (this listener is
 * added before ink's own, which then redraws the whole frame).
 */
export function mountTop(props: TopScreenProps, terminal: TopTerminal): {done: Promise<void>; unmount: () => void} {
  const {stdout} = terminal;
  let columns = stdout.columns;
  const onResize = () => {
    if (stdout.columns < columns) stdout.write(CLEAR_SCREEN);
    columns = stdout.columns;
  };
  stdout.write(ENTER_ALTERNATE_SCREEN + CLEAR_SCREEN);
  stdout.on('resize', onResize);
  const instance = render(<TopScreen {...props} />, {
    stdout,
    stdin: terminal.stdin,
    stderr: terminal.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const done = instance
    .waitUntilExit()
    .finally(() => {
      stdout.off('resize', onResize);
      stdout.write(LEAVE_ALTERNATE_SCREEN);
    })
    .then(() => undefined);
  return {done, unmount: () => instance.unmount()};
}
