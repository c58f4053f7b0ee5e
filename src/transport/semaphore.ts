/** Gives back a permit; calling it more than once is harmless. */
export type Release = () => void;

/**
 * A small FIFO counting semaphore: at most `limit` holders at once. A waiter whose signal
 * aborts leaves the queue and gets `null` instead of a permit.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<(release: Release) => void> = [];

  constructor(readonly limit: number) {}

  /** Holders right now (for tests and diagnostics). */
  get inUse(): number {
    return this.active;
  }

  acquire(signal: AbortSignal): Promise<Release | null> {
    if (signal.aborted) return Promise.resolve(null);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const grant = (release: Release) => {
        signal.removeEventListener('abort', onAbort);
        resolve(release);
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(null);
      };
      signal.addEventListener('abort', onAbort, {once: true});
      this.waiting.push(grant);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The permit passes straight to the next waiter, so `active` stays the same.
      if (next) next(this.releaser());
      else this.active--;
    };
  }
}
