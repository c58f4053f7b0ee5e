import type {Socket} from 'node:net';

/**
 * A metadata frame a sidecar writes before the application's bytes on an opaque connection it
 * opens, and its peer strips: Istio's TCP metadata exchange. The header (magic number, then the
 * payload length, both 32-bit big-endian) is Istio's; the payload here is the demo's own.
 */
const MAGIC = 0x3d230467;
const MAX_PAYLOAD = 16 * 1024;

export function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(MAGIC, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/**
 * Read a frame from the start of `socket` if one is there. Resolves with its payload (or null
 * when the stream starts with anything else), leaving every other byte unread for the proxy.
 */
export function readFrame(socket: Socket, timeoutMs = 2000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const finish = (payload: Buffer | null, rest: Buffer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      if (rest.length > 0) socket.unshift(rest);
      resolve(payload);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 8) return;
      const length = buffered.readUInt32BE(4);
      if (buffered.readUInt32BE(0) !== MAGIC || length > MAX_PAYLOAD) {
        finish(null, buffered);
        return;
      }
      if (buffered.length >= 8 + length) finish(buffered.subarray(8, 8 + length), buffered.subarray(8 + length));
    };
    const onClose = () => finish(null, Buffer.alloc(0));
    // A client that waits for the server to speak first must not stall the connection.
    const timer = setTimeout(() => finish(null, buffered), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}
