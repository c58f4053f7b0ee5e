import type {Socket} from 'node:net';

/**
 * Connections and their bytes, the way a proxy's transport counters see them: bytes of open
 * connections are read live from the sockets, those of closed ones kept as totals.
 */
export class SocketTally {
  opened = 0;
  closed = 0;
  private readonly live = new Set<Socket>();
  private closedRead = 0;
  private closedWritten = 0;

  track(socket: Socket): void {
    this.opened++;
    this.live.add(socket);
    socket.once('close', () => {
      this.live.delete(socket);
      this.closed++;
      this.closedRead += socket.bytesRead;
      this.closedWritten += socket.bytesWritten;
    });
  }

  get open(): number {
    return this.live.size;
  }

  get readBytes(): number {
    let total = this.closedRead;
    for (const socket of this.live) total += socket.bytesRead;
    return total;
  }

  get writeBytes(): number {
    let total = this.closedWritten;
    for (const socket of this.live) total += socket.bytesWritten;
    return total;
  }
}
