/** Unread output, in bytes, that a live command keeps before it stops printing. */
export const OUTPUT_BACKLOG_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * stdout for a live stream of records (tap events, top snapshots). When whoever reads it stops
 * reading — `meshctl tap | less` left on one page — Node keeps every write in memory. The tap
 * streams must still be read (a proxy made to wait would hold the traces itself), so once
 * `limitBytes` are waiting, records are counted instead of written until the reader catches up.
 * `onFirstSkip` is called the first time that happens, so the user hears of it at once.
 */
export class BoundedOutput {
  /** Records counted instead of written. */
  skipped = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly onFirstSkip: () => void,
    private readonly limitBytes = OUTPUT_BACKLOG_LIMIT_BYTES,
  ) {}

  /** Write `text`, which holds `records` records, or count them if too much is unread. True when written. */
  write(text: string, records: number): boolean {
    if (text === '') return true;
    if (unreadBytes(this.out) < this.limitBytes) {
      this.out.write(text);
      return true;
    }
    if (this.skipped === 0) this.onFirstSkip();
    this.skipped += records;
    return false;
  }
}

function unreadBytes(out: NodeJS.WritableStream): number {
  return (out as {writableLength?: number}).writableLength ?? 0;
}
