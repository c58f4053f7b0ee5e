import type {OtlpExport} from '../options.js';
import {GrpcSpanTransport} from './grpc-transport.js';
import {HttpSpanTransport} from './http-transport.js';

/** How one batch of serialized spans reaches the collector. */
export interface SpanTransport {
  /** Resolves true when the collector accepted the batch; never rejects. */
  send(body: Uint8Array, timeoutMs: number): Promise<boolean>;
  close(): void;
}

export function spanTransport(otlp: OtlpExport): SpanTransport {
  return otlp.transport === 'grpc' ? new GrpcSpanTransport(otlp.address) : new HttpSpanTransport(otlp.url);
}
