import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT} from './fixtures.js';
import {tempDir} from './cli.js';

/**
 * Run the built CLI in a real terminal: a detached tmux session of a fixed size on a private
 * tmux server (its own socket, no user config), read back with capture-pane. `kill()` ends
 * the server and everything in it.
 */
export const HAVE_TMUX = spawnSync('tmux', ['-V'], {encoding: 'utf8'}).status === 0;

let noticed = false;
export function noticeIfNoTmux(): void {
  if (!HAVE_TMUX && !noticed) {
    noticed = true;
    process.stderr.write('\n[meshctl tests] NOTICE: tmux not found on PATH; real-terminal tests are SKIPPED\n\n');
  }
}

export interface TmuxSession {
  /** The visible screen, one string per line, trailing spaces trimmed. */
  screen(): string[];
  keys(...keys: string[]): void;
  resize(columns: number, rows: number): void;
  /** The CLI's exit code once it has exited, else null. */
  exitCode(): number | null;
  kill(): void;
}

/** `hold`: keep the pane open after the CLI exits, so its last screen can still be read. */
export function startInTmux(args: string[], size: {columns: number; rows: number}, env: Record<string, string> = {}, hold = false): TmuxSession {
  const dir = tempDir('meshctl-tmux-');
  const socket = `meshctl-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const exitFile = join(dir, 'exit-code');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const variables = Object.entries({MESHCTL_CONFIG: join(dir, 'config.yaml'), ...env})
    .map(([name, value]) => `${name}=${quote(value)}`)
    .join(' ');
  const command = `${variables} ${quote(process.execPath)} ${quote(join(REPO_ROOT, 'bin', 'meshctl.js'))} ${args.map(quote).join(' ')}; echo $? > ${quote(exitFile)}${hold ? '; sleep 600' : ''}`;
  const tmux = (...rest: string[]) => {
    const result = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...rest], {encoding: 'utf8'});
    if (result.status !== 0) throw new Error(`tmux ${rest[0]} failed: ${result.stderr}`);
    return result.stdout;
  };
  tmux('new-session', '-d', '-s', 'top', '-x', String(size.columns), '-y', String(size.rows), command);
  // tmux leaves its socket file behind when the server ends; it is removed on kill().
  const socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  return {
    screen: () => tmux('capture-pane', '-p', '-t', 'top').split('\n').map((line) => line.trimEnd()),
    keys: (...keys) => void tmux('send-keys', '-t', 'top', ...keys),
    resize: (columns, rows) => void tmux('resize-window', '-t', 'top', '-x', String(columns), '-y', String(rows)),
    exitCode: () => (existsSync(exitFile) ? Number(readFileSync(exitFile, 'utf8').trim()) : null),
    kill: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      if (socketPath !== '') rmSync(socketPath, {force: true});
    },
  };
}
