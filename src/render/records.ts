import {Document, isScalar, visit} from 'yaml';

export type RecordValue = string | number | boolean | null;
export type FlatRecord = Record<string, RecordValue>;

/**
 * Characters JSON.stringify and YAML leave raw although a terminal may act on them: DEL, the
 * C1 controls (U+009B is a one-byte CSI) and bidi overrides. C0 controls are already escaped
 * by both serializers.
 */
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const unicodeEscape = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `-o json`: one JSON array of flat records; the data is exact, escapes only where needed. */
export function renderJson(records: readonly FlatRecord[]): string {
  return `${JSON.stringify(records, null, 2).replace(RAW_UNSAFE, unicodeEscape)}\n`;
}

/** NDJSON for streams and --watch: one compact record per line. */
export function renderNdjson(records: readonly FlatRecord[]): string {
  return records.map((r) => `${JSON.stringify(r).replace(RAW_UNSAFE, unicodeEscape)}\n`).join('');
}

/** `-o yaml`: the same records; strings holding unsafe characters become escaped double-quoted scalars. */
export function renderYaml(records: readonly FlatRecord[]): string {
  if (records.length === 0) return '[]\n';
  const doc = new Document(records);
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string') {
        RAW_UNSAFE.lastIndex = 0;
        if (RAW_UNSAFE.test(node.value)) node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({lineWidth: 0}).replace(RAW_UNSAFE, unicodeEscape);
}
