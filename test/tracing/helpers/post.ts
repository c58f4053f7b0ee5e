import {request, type Agent, type IncomingHttpHeaders} from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP request to a loopback URL; resolves with the whole reply, rejects on a socket error. */
export function post(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
  options: {method?: string; agent?: Agent; timeoutMs?: number} = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, {method: options.method ?? 'POST', headers, agent: options.agent, timeout: options.timeoutMs ?? 5000}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks)}));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** google.rpc.Status { int32 code = 1; string message = 2; } read by hand from its bytes. */
export function decodeRpcStatus(bytes: Buffer): {code: number; message: string} {
  let code = 0;
  let message = '';
  let pos = 0;
  while (pos < bytes.length) {
    const tag = bytes[pos++];
    if (tag === 0x08) code = bytes[pos++];
    else if (tag === 0x12) {
      let length = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[pos++];
        length |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
      message = bytes.subarray(pos, pos + length).toString('utf8');
      pos += length;
    } else throw new Error(`unexpected tag ${tag} in a Status`);
  }
  return {code, message};
}
