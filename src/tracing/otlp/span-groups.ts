import type {InstrumentationScope, Resource, Span} from '../model.js';
import {OtlpDecodeError, type DecodeResult} from './errors.js';

/** One ScopeSpans whose framing has been read, its contents not yet decoded. */
export interface ScopeGroup<RawSpan> {
  decodeScope(): InstrumentationScope;
  spans: RawSpan[];
}

/**
 * The rejection rules both decoders share, for one ResourceSpans: a resource that does not
 * decode rejects every span under it; a scope that does not decode rejects its spans; a span
 * that does not decode rejects itself. Everything else is accepted into `out`.
 */
export function decodeGroups<RawSpan>(
  out: DecodeResult<Span>,
  path: {resource: string; group: (index: number) => string},
  decodeResource: () => Resource,
  groups: ScopeGroup<RawSpan>[],
  decodeSpan: (raw: RawSpan, resource: Resource, scope: InstrumentationScope) => Span,
): void {
  let resource: Resource;
  try {
    resource = decodeResource();
  } catch (error) {
    rejectMany(out, groups.reduce((sum, group) => sum + group.spans.length, 0), path.resource, error);
    return;
  }
  groups.forEach((group, g) => {
    let scope: InstrumentationScope;
    try {
      scope = group.decodeScope();
    } catch (error) {
      rejectMany(out, group.spans.length, `${path.group(g)}.scope`, error);
      return;
    }
    group.spans.forEach((raw, s) => {
      try {
        out.spans.push(decodeSpan(raw, resource, scope));
      } catch (error) {
        if (!(error instanceof OtlpDecodeError)) throw error;
        out.rejectedSpans++;
        out.errors.push(`${path.group(g)}.spans[${s}]: ${error.message}`);
      }
    });
  });
}

function rejectMany(out: DecodeResult<Span>, count: number, path: string, error: unknown): void {
  if (!(error instanceof OtlpDecodeError)) throw error;
  out.rejectedSpans += count;
  out.errors.push(`${path}: ${error.message} (${count} span${count === 1 ? '' : 's'} rejected)`);
}
