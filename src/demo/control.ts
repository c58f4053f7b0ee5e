import {createServer, type Server} from 'node:http';
import type {Socket} from 'node:net';
import type {RunningMesh} from './mesh/assemble.js';
import {listenOnLoopback} from './loopback.js';

/**
 * The demo's control port: `GET /truth` (what the applications sent and got back, see
 * truth.ts) and `GET /status` (pods, ports, exporter counters). Read-only.
 */
export class ControlServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly mesh: RunningMesh) {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const reply = (status: number, body: unknown) => {
        const text = `${JSON.stringify(body)}\n`;
        res.writeHead(status, {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store'});
        res.end(text);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') reply(405, {error: 'only GET is supported'});
      else if (path === '/truth') reply(200, this.mesh.truth.snapshot());
      else if (path === '/status') reply(200, this.status());
      else reply(404, {error: 'not found', paths: ['/truth', '/status']});
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<string> {
    this.port = await listenOnLoopback(this.server);
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private status(): unknown {
    return {
      pid: process.pid,
      flavor: this.mesh.options.flavor,
      options: this.mesh.options,
      mtls: this.mesh.mtls,
      uptime_seconds: Math.round(process.uptime()),
      pods: this.mesh.pods.map((p) => ({name: p.info.name, workload: p.info.workload, ...p.sidecar.endpoints()})),
      spans: this.mesh.exporter.stats,
    };
  }
}
