import type {Target} from './target.js';

/** Why one proxy could not be read. Carried as a value next to the results for the rest. */
export interface ProxyFailure {
  target: Target;
  /** Short machine-readable reason: `refused`, `timeout`, `http-500`, `parse`, ... */
  reason: string;
  /** One line for humans; already free of terminal control sequences. */
  message: string;
}
