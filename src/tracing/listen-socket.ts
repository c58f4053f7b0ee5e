import type {Server} from 'node:net';
import {UserError} from '../errors.js';

/** Why a receiver could not start listening; `inUse` when another process has the port. */
export class ListenError extends UserError {
  constructor(
    message: string,
    readonly inUse: boolean,
    hint?: string,
  ) {
    super(message, {hint});
    this.name = 'ListenError';
  }
}

/** Listen on host:port, turning the usual failures into a ListenError that names `flag`. */
export function listenOn(server: Server, host: string, port: number, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port, flag)));
    server.listen(port, host, () => resolve());
  });
}

/** `127.0.0.1:4318` or `[::1]:4318`. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number, flag: string): ListenError {
  const where = hostPort(host, port);
  switch (error.code) {
    case 'EADDRINUSE':
      return new ListenError(`cannot listen on ${where}: the port is already in use`, true, `stop the other collector, or pick another port with ${flag} 127.0.0.1:PORT`);
    case 'EACCES':
      return new ListenError(`cannot listen on ${where}: permission denied`, false, 'use a port above 1023');
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(`cannot listen on ${where}: no such address on this machine`, false);
    default:
      return new ListenError(`cannot listen on ${where}: ${error.message}`, false);
  }
}
