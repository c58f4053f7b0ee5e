import {stringify} from 'yaml';

export type RecordValue = string | number | boolean | null;
export type FlatRecord = Record<string, RecordValue>;

/** `-o json`: one JSON array of flat records, pretty-printed. */
export function renderJson(records: readonly FlatRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/** `-o yaml`: the same records as a YAML sequence. */
export function renderYaml(records: readonly FlatRecord[]): string {
  return records.length === 0 ? '[]\n' : stringify(records, {lineWidth: 0});
}

/** NDJSON for streams and --watch: one compact record per line. */
export function renderNdjson(records: readonly FlatRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}
