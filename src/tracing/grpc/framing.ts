import {formatBytes} from '../../util/bytes.js';
import {RPC_CODE, type RpcCode} from '../otlp/responses.js';

/**
 * gRPC's Length-Prefixed-Message (grpc/doc/PROTOCOL-HTTP2.md): a 1-byte compressed flag, a
 * 4-byte big-endian length, then the message. DATA frame boundaries say nothing about
 * message boundaries.
 */
export const PREFIX_BYTES = 5;

/** A request the gRPC layer refuses, with the status code to answer with. */
export class CallError extends Error {
  constructor(
    readonly code: RpcCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

export interface FramedMessage {
  /** The flag was 1: `payload` is compressed with the call's grpc-encoding. */
  compressed: boolean;
  payload: Buffer;
}

/** One message with its prefix, uncompressed unless `compressed` says the payload already is. */
export function frameMessage(payload: Uint8Array, compressed = false): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_BYTES + payload.byteLength);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(payload.byteLength, 1);
  out.set(payload, PREFIX_BYTES);
  return out;
}

/**
 * Collects the single message of a unary call from DATA chunks. The declared length is checked
 * against `maxBytes` before anything is kept, so an oversized message is refused without being
 * buffered. Framing faults are INTERNAL, as grpc-go reports them to the clients of an
 * OpenTelemetry Collector; a message over the cap is RESOURCE_EXHAUSTED.
 */
export class UnaryMessageReader {
  private readonly prefix = Buffer.alloc(PREFIX_BYTES);
  private prefixFilled = 0;
  private payload: Buffer | null = null;
  private payloadFilled = 0;
  private compressed = false;

  constructor(
    private readonly maxBytes: number,
    /** The call named a grpc-encoding other than identity. */
    private readonly encoded: boolean,
  ) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.prefixFilled < PREFIX_BYTES) {
        if (this.payload !== null) throw new CallError(RPC_CODE.INTERNAL, 'more than one request message in a unary call');
        const take = Math.min(PREFIX_BYTES - this.prefixFilled, chunk.length - offset);
        chunk.copy(this.prefix, this.prefixFilled, offset, offset + take);
        this.prefixFilled += take;
        offset += take;
        if (this.prefixFilled === PREFIX_BYTES) this.startPayload();
      } else if (this.payload && this.payloadFilled < this.payload.length) {
        const take = Math.min(this.payload.length - this.payloadFilled, chunk.length - offset);
        chunk.copy(this.payload, this.payloadFilled, offset, offset + take);
        this.payloadFilled += take;
        offset += take;
      } else {
        throw new CallError(RPC_CODE.INTERNAL, 'more than one request message in a unary call');
      }
    }
  }

  /** The message, once the request stream has ended. */
  finish(): FramedMessage {
    if (this.prefixFilled === 0) throw new CallError(RPC_CODE.INTERNAL, 'the request stream ended without a message');
    if (this.prefixFilled < PREFIX_BYTES || !this.payload || this.payloadFilled < this.payload.length) {
      const expected = this.payload ? `${this.payload.length} bytes` : 'a 5-byte prefix';
      const got = this.payload ? this.payloadFilled : this.prefixFilled;
      throw new CallError(RPC_CODE.INTERNAL, `the request stream ended inside a message: ${got} bytes of ${expected}`);
    }
    return {compressed: this.compressed, payload: this.payload};
  }

  private startPayload(): void {
    const flag = this.prefix[0];
    if (flag > 1) throw new CallError(RPC_CODE.INTERNAL, `invalid compressed flag ${flag} in the message prefix (must be 0 or 1)`);
    if (flag === 1 && !this.encoded) {
      throw new CallError(RPC_CODE.INTERNAL, 'the message is flagged compressed but the call has no grpc-encoding (or identity)');
    }
    this.compressed = flag === 1;
    const length = this.prefix.readUInt32BE(1);
    if (length > this.maxBytes) {
      const what = this.compressed ? 'compressed message' : 'message';
      throw new CallError(RPC_CODE.RESOURCE_EXHAUSTED, `${what} of ${length} bytes is larger than the ${formatBytes(this.maxBytes)} limit`);
    }
    this.payload = Buffer.allocUnsafe(length);
  }
}
