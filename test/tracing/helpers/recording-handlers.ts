import type {ReceivedBatch, ReceiverProblem} from '../../../src/tracing/intake.js';

/** Receiver callbacks that keep what they are given; `failNextBatch` makes the next onBatch throw. */
export class RecordingHandlers {
  batches: ReceivedBatch[] = [];
  problems: ReceiverProblem[] = [];
  failNextBatch = false;

  readonly onBatch = (batch: ReceivedBatch): void => {
    if (this.failNextBatch) {
      this.failNextBatch = false;
      throw new Error('disk full');
    }
    this.batches.push(batch);
  };

  readonly onProblem = (problem: ReceiverProblem): void => {
    this.problems.push(problem);
  };

  reset(): void {
    this.batches = [];
    this.problems = [];
  }
}
