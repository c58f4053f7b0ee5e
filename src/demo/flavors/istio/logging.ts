/** The loggers an Envoy lists (a subset of a real list, alphabetical here). */
const LOGGERS = ['admin', 'aws', 'assert', 'backtrace', 'client', 'config', 'connection', 'conn_handler', 'dns', 'file', 'filter', 'grpc', 'hc', 'health_checker', 'http', 'http2', 'init', 'io', 'jwt', 'lua', 'main', 'matcher', 'misc', 'pool', 'rbac', 'rds', 'router', 'runtime', 'stats', 'secret', 'tap', 'testing', 'thrift', 'tracing', 'upstream', 'udp', 'wasm'];
const LEVELS = ['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'off'];

/** `/logging`: list levels, or change them (`?level=` for all, `?<logger>=`, `?paths=a:debug,b:info`). */
export class LoggerLevels {
  private readonly levels = new Map(LOGGERS.map((name) => [name, 'warning']));

  /** Returns [status, body]. */
  handle(params: URLSearchParams): [number, string] {
    for (const [key, value] of params) {
      const pairs: Array<[string, string]> =
        key === 'level' ? [...this.levels.keys()].map((name) => [name, value]) : key === 'paths' ? value.split(',').map((p) => p.split(':') as [string, string]) : [[key, value]];
      for (const [name, level] of pairs) {
        if (!LEVELS.includes(level)) return [404, 'error: unknown logger level\n' + this.list()];
        if (!this.levels.has(name)) return [404, 'error: unknown logger name\n' + this.list()];
        this.levels.set(name, level === 'warn' ? 'warning' : level);
      }
    }
    return [200, this.list()];
  }

  private list(): string {
    return `active loggers:\n${[...this.levels].map(([name, level]) => `  ${name}: ${level}\n`).join('')}`;
  }
}
