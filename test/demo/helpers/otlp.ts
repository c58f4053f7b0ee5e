/**
 * A minimal protobuf reader for OTLP ExportTraceServiceRequest bodies, written for the tests
 * (independent of @opentelemetry/otlp-transformer, which the demo uses to write them).
 */
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP enum: 2 = SERVER, 3 = CLIENT. */
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, string | number | boolean>;
  resource: Record<string, string | number | boolean>;
}

interface Field {
  no: number;
  wire: number;
  value: bigint | Buffer;
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[i++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({no, wire, value: varint()});
    else if (wire === 1) {
      out.push({no, wire, value: buf.subarray(i, i + 8)});
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({no, wire, value: buf.subarray(i, i + len)});
      i += len;
    } else if (wire === 5) {
      out.push({no, wire, value: buf.subarray(i, i + 4)});
      i += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const bytes = (f: Field | undefined) => (f ? (f.value as Buffer) : Buffer.alloc(0));

function anyValue(buf: Buffer): string | number | boolean {
  const [f] = fields(buf);
  if (!f) return '';
  if (f.no === 1) return (f.value as Buffer).toString('utf8');
  if (f.no === 2) return f.value === 1n;
  if (f.no === 3) return Number(BigInt.asIntN(64, f.value as bigint));
  if (f.no === 4) return (f.value as Buffer).readDoubleLE(0);
  return `<${f.no}>`;
}

function keyValues(list: Field[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of list) {
    const kv = fields(f.value as Buffer);
    const key = bytes(kv.find((x) => x.no === 1)).toString('utf8');
    out[key] = anyValue(bytes(kv.find((x) => x.no === 2)));
  }
  return out;
}

export function decodeTraceRequest(body: Buffer): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  for (const rs of fields(body).filter((f) => f.no === 1)) {
    const rsFields = fields(rs.value as Buffer);
    const resource = keyValues(fields(bytes(rsFields.find((f) => f.no === 1))).filter((f) => f.no === 1));
    for (const ss of rsFields.filter((f) => f.no === 2)) {
      for (const sp of fields(ss.value as Buffer).filter((f) => f.no === 2)) {
        const s = fields(sp.value as Buffer);
        const get = (no: number) => s.find((f) => f.no === no);
        spans.push({
          traceId: bytes(get(1)).toString('hex'),
          spanId: bytes(get(2)).toString('hex'),
          parentSpanId: bytes(get(4)).toString('hex'),
          name: bytes(get(5)).toString('utf8'),
          kind: Number((get(6)?.value as bigint | undefined) ?? 0n),
          startNanos: bytes(get(7)).readBigUInt64LE(0),
          endNanos: bytes(get(8)).readBigUInt64LE(0),
          attributes: keyValues(s.filter((f) => f.no === 9)),
          resource,
        });
      }
    }
  }
  return spans;
}
