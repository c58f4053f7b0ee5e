import type {IncomingMessage} from 'node:http';

/** Read a whole request body; `tooLarge` is true (and the body cut) past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number, done: (body: Buffer, tooLarge: boolean) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  req.on('end', () => done(Buffer.concat(chunks), size > limit));
}
