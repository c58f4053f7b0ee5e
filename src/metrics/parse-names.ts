import {hasClass, METRIC_CHAR, occursAt} from './parse-chars.js';
import type {Sample} from './types.js';

export interface NameEntry {
  /** One string per distinct name, shared by all its samples. */
  name: string;
  keep: boolean;
  samples: Sample[];
}

/** What is known per distinct metric name: the keep decision and the samples with that name. */
export class NameTable {
  /** A new map for each input: the parse result keeps it to look samples up by name. */
  entries = new Map<string, NameEntry>();
  private last: NameEntry | null = null;
  private keep: ((name: string) => boolean) | undefined = undefined;

  start(keep: ((name: string) => boolean) | undefined): void {
    this.entries = new Map();
    this.last = null;
    this.keep = keep;
  }

  /**
   * The entry of the previous line's name when the name at `start` is that one again (the
   * common case); null otherwise. Neither scans the name twice nor slices it.
   */
  repeatedAt(text: string, start: number): NameEntry | null {
    const last = this.last;
    if (last === null || !occursAt(text, last.name, start) || hasClass(text.charCodeAt(start + last.name.length), METRIC_CHAR)) return null;
    return last;
  }

  /** The entry for the name `text[start, end)`. */
  entry(text: string, start: number, end: number): NameEntry {
    const name = text.slice(start, end);
    let entry = this.entries.get(name);
    if (entry === undefined) {
      entry = {name, keep: this.keep === undefined || this.keep(name), samples: []};
      this.entries.set(name, entry);
    }
    this.last = entry;
    return entry;
  }
}
