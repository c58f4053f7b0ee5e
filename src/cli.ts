import {setMaxListeners} from 'node:events';
import {readFileSync} from 'node:fs';
import {Command, CommanderError, Option} from 'commander';
import type {CommandContext, GlobalOptions, Io} from './commands/context.js';
import {UserError, errorMessage} from './errors.js';
import {DEFAULT_TAP_CONFIG_ID} from './dialects/envoy/tap-request.js';
import {EXIT, EXIT_CODES_HELP} from './exit-codes.js';
import {sanitize} from './render/sanitize.js';
import {TOGGLE_HELP} from './tracing/toggles/help.js';

type Run = (ctx: CommandContext, args: string[], options: Record<string, unknown>) => Promise<number>;

/** Each command's implementation is imported only when it runs, so `--help` stays fast. */
const commands: Record<string, () => Promise<{run: Run}>> = {
  stat: () => import('./commands/stat.js'),
  proxies: () => import('./commands/proxies.js'),
  tap: () => import('./commands/tap.js'),
  top: () => import('./commands/top.js'),
  routes: () => import('./commands/routes.js'),
  trace: () => import('./commands/trace.js'),
  topology: () => import('./commands/topology.js'),
  demo: () => import('./commands/demo.js'),
};

const collect = (value: string, previous: string[]) => [...previous, value];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
  return pkg.version;
}

export function buildProgram(io: Io, signal: AbortSignal, setExit: (code: number) => void): Command {
  const program = new Command('meshctl');
  program
    .description('Golden metrics, routes, topology, live traffic and tracing straight from mesh sidecar proxies.')
    .version(version(), '-V, --version')
    .option('-p, --proxy <url>', 'proxy to read: host:port, URL or name=URL; repeatable and comma-separated (env MESHCTL_PROXIES)', collect, [])
    .option('--context <name>', 'context from the contexts file ($MESHCTL_CONFIG, default ~/.config/meshctl/config.yaml)')
    .addOption(new Option('--dialect <family>', 'force the proxy family instead of detecting it').choices(['linkerd', 'envoy']))
    .option('-H, --header <header>', 'extra header for admin endpoints, "Name: value"; repeatable', collect, [])
    .option('--timeout <duration>', 'per-request timeout', '5s')
    .option('--concurrency <n>', 'proxies read at once', '32')
    .option('--certificate-authority <file>', 'PEM CA bundle to trust for https:// admin endpoints, besides the system CAs')
    .option('--client-certificate <file>', 'PEM client certificate for https:// admin endpoints that ask for one')
    .option('--client-key <file>', 'PEM private key of --client-certificate')
    .option('--insecure-skip-tls-verify', 'do not verify the server certificates of https:// admin endpoints')
    .option('--color', 'force colour')
    .option('--no-color', 'never colour (also NO_COLOR, TERM=dumb, non-terminal stdout)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  // A subcommand's name is passed to its group's run() as the first argument.
  const action = (name: string, subcommand?: string) =>
    async function (this: Command, ...params: unknown[]) {
      const cmd = params[params.length - 1] as Command;
      const options = cmd.opts();
      const args = subcommand ? [subcommand, ...cmd.args] : cmd.args;
      const globals = cmd.optsWithGlobals() as GlobalOptions;
      const {run} = await commands[name]();
      setExit(await run({io, globals, signal}, args, options));
    };

  /** Options every windowed view (stat, routes, topology) takes, with the same meaning. */
  const windowed = (command: Command, namespaceHelp: string) =>
    command
      .option('-n, --namespace <ns>', namespaceHelp)
      .option('-A, --all-namespaces', 'every namespace')
      .option('-t, --window <duration>', 'measure over this window; 0 = since each proxy started', '5s')
      .option('-w, --watch', 'repeat every window (NDJSON when stdout is not a terminal)');

  windowed(program.command('stat'), 'only this namespace')
    .description('success rate, RPS, latency percentiles and TCP connections per workload, pod or namespace')
    .argument('[resources...]', 'KIND[/NAME]: workload (deploy), pod (po), namespace (ns); default workload')
    .option('--to <resource>', 'outbound traffic to this resource (KIND/NAME)')
    .option('--from <resource>', 'traffic from this resource, measured on its outbound side (KIND/NAME)')
    .option('-o, --output <format>', 'table, wide, json or yaml', 'table')
    .option('--sort-by <column>', 'name, namespace, proxies, success, rps, p50, p95, p99, tcp (append :asc or :desc)')
    .addHelpText('after', `\nExamples:\n  meshctl stat\n  meshctl stat deploy/webapp -t 10s -o wide\n  meshctl stat po -n booksapp --sort-by rps\n  meshctl stat deploy --from deploy/webapp\n\n${EXIT_CODES_HELP}`)
    .action(action('stat'));

  windowed(program.command('routes'), 'only proxies in this namespace')
    .description('success rate, RPS and latency per route (ServiceProfile, Gateway API, Envoy route stats), with backends and retries')
    .argument('[targets...]', 'whose proxies to read: KIND[/NAME] (deploy/webapp, po/NAME, ns/NAME); default all')
    .option('--to <resource>', 'only the outbound routes to this service (e.g. deploy/books)')
    .option('-o, --output <format>', 'table, wide (effective vs actual, timeouts, retries), json or yaml', 'table')
    .option('--sort-by <column>', 'route, service, success, rps, p50, p95, p99 (append :asc or :desc)')
    .option('--from-tap', 'derive routes from live requests over the window (Envoy /tap), for proxies without route configuration')
    .option('--tap-config-id <id>', 'config_id of the tap filter, with --from-tap', DEFAULT_TAP_CONFIG_ID)
    .addHelpText('after', `\nExamples:\n  meshctl routes deploy/webapp\n  meshctl routes deploy/webapp --to deploy/books -o wide\n  meshctl routes deploy/books --from-tap -t 10s\n\n${EXIT_CODES_HELP}`)
    .action(action('routes'));

  windowed(program.command('topology'), 'only hops with an end in this namespace')
    .alias('edges')
    .description('who talks to whom: an ASCII map of the mesh with RPS, success, p99 and mTLS per hop')
    .argument('[targets...]', 'only hops touching these: deploy/NAME or ns/NAME')
    .option('-o, --output <format>', 'graph, table, wide, json, yaml, dot or mermaid', 'graph')
    .option('--ascii', 'draw with ASCII characters only')
    .addHelpText('after', `\nExamples:\n  meshctl topology\n  meshctl edges -o table\n  meshctl topology -o dot | dot -Tsvg > mesh.svg\n\n${EXIT_CODES_HELP}`)
    .action(action('topology'));

  program
    .command('proxies')
    .description('list every target: dialect, version, ready, identity, uptime, or why it could not be read')
    .option('-o, --output <format>', 'table, wide, json or yaml', 'table')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(action('proxies'));

  const tapNote = `Envoy's /tap needs a POST, the one exception to "read commands only GET": it arms the tap
filter for as long as the stream is open and changes no configuration. The proxy needs the tap
filter (envoy.filters.http.tap) registered under the config id. Envoy allows one /tap stream at a
time. Linkerd proxies cannot be tapped through their admin port; use \`meshctl top\` there.`;

  program
    .command('tap')
    .description('stream live requests from Envoy proxies (admin /tap), merged in time order')
    .argument('[target]', 'deploy/NAME, po/NAME or ns/NAME (by the identity each proxy reports); default every proxy')
    .option('--tap-config-id <id>', 'config_id of the tap filter on the proxies', DEFAULT_TAP_CONFIG_ID)
    .option('--method <method>', 'only this HTTP method')
    .option('--path <path>', 'only paths starting with this prefix, or matching ~REGEX')
    .option('--authority <authority>', 'only this :authority (host[:port])')
    .option('--status <status>', 'only this response status (503) or class (5xx)')
    .option('--min-latency <duration>', 'only requests at least this slow')
    .option('--max-rps <n>', 'show at most n requests per second, sampled evenly across each second')
    .option('--count <n>', 'stop after n requests')
    .option('--duration <duration>', 'stop after this long')
    .option('-o, --output <format>', 'text (req/rsp/end lines) or json (NDJSON, one request a line)', 'text')
    .option('--show-secrets', 'show authorization, cookie and other secret headers and query values')
    .addHelpText('after', `\n${tapNote}\n\nExamples:\n  meshctl tap deploy/webapp --path /books --count 20\n  meshctl tap --status 5xx -o json\n\n${EXIT_CODES_HELP}`)
    .action(action('tap'));

  program
    .command('top')
    .description('live table of requests by source, destination and path (tap on Envoy, metric deltas on Linkerd)')
    .argument('[target]', 'deploy/NAME, po/NAME or ns/NAME; default every proxy')
    .option('--routes', 'group rows by route instead of path (g on the screen)')
    .option('--interval <duration>', 'without a terminal: print an NDJSON snapshot this often', '1s')
    .option('--count <n>', 'without a terminal: stop after n snapshots')
    .option('--duration <duration>', 'stop after this long')
    .option('--max-rows <n>', 'rows kept; the least recently seen make way for new ones', '5000')
    .option('--tap-config-id <id>', 'config_id of the tap filter on Envoy proxies', DEFAULT_TAP_CONFIG_ID)
    .addHelpText(
      'after',
      `\nKeys: q quit, s/S sort column, r reverse, p pause, / filter, g group by route, arrows scroll.\nEnvoy rows come from /tap (a POST that arms the tap filter while open; see \`meshctl tap --help\`).\nLinkerd rows come from per-second metric deltas: Best/Worst/Last are p50/p99/p50 estimates.\nWithout a terminal, prints one NDJSON snapshot every --interval.\n\n${EXIT_CODES_HELP}`,
    )
    .action(action('top'));

  const trace = program.command('trace').description('switch span emission on proxies, collect spans over OTLP and show traces as waterfalls');
  trace
    .command('collect')
    .description('receive spans over OTLP/HTTP (protobuf or JSON) and OTLP/gRPC, print them as they arrive and a waterfall per trace')
    .option('--listen <addr>', 'HOST:PORT for OTLP/HTTP; only loopback unless a host says otherwise', '127.0.0.1:4318')
    .option('--grpc-listen <addr>', 'HOST:PORT for OTLP/gRPC, or "off" (default 127.0.0.1:4317; skipped with a notice if that port is taken)')
    .option('-o, --output <format>', 'table, or json (NDJSON: span, trace and stats records)', 'table')
    .option('--idle <duration>', 'a trace is complete after this long without new spans', '2s')
    .option('--save <file>', 'append every accepted request\'s raw OTLP to FILE, for trace show')
    .option('--max-traces <n>', 'traces held in memory at once', '1000')
    .option('--max-spans-per-trace <n>', 'spans kept per trace; more are dropped and counted', '1000')
    .option('--max-body <size>', 'largest request body, after gzip decoding (413 above; 20MiB is the size OTLP recommends)', '20MiB')
    .addHelpText('after', `\nExamples:\n  meshctl trace collect\n  meshctl trace collect --save traces.otlp -o json\n  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf ./my-app\n  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 OTEL_EXPORTER_OTLP_PROTOCOL=grpc ./my-app\n\n${EXIT_CODES_HELP}`)
    .action(action('trace', 'collect'));
  trace
    .command('show')
    .description('list the traces in a file saved by trace collect --save, or draw one as a waterfall')
    .argument('<file>', 'capture written by trace collect --save')
    .argument('[trace-id]', 'trace id, or the start of one')
    .option('-o, --output <format>', 'table, or json (NDJSON records)', 'table')
    .addHelpText('after', `\nExamples:\n  meshctl trace show traces.otlp\n  meshctl trace show traces.otlp 4bf92f35\n\n${EXIT_CODES_HELP}`)
    .action(action('trace', 'show'));
  const selectFlags = (cmd: Command, formats = 'table, json or yaml') =>
    cmd
      .argument('[targets...]', 'whose proxies: KIND[/NAME] (deploy/webapp, po/NAME, ns/NAME); default all')
      .option('-n, --namespace <ns>', 'only proxies in this namespace')
      .option('-A, --all-namespaces', 'every namespace')
      .option('-o, --output <format>', formats, 'table');
  selectFlags(trace.command('enable'))
    .description('switch span emission on live Envoy proxies: runtime sampling through /runtime_modify, read back from /runtime')
    .option('--sampling <percent>', 'share of new requests to trace, 0-100 (0.5 = one in 200; 0 stops new traces)', '100')
    .option('--dry-run', 'show what would change; send nothing')
    .addHelpText('after', `\n${TOGGLE_HELP}\n\nExamples:\n  meshctl trace enable deploy/webapp\n  meshctl trace enable -n booksapp --sampling 0.5 --dry-run\n\n${EXIT_CODES_HELP}`)
    .action(action('trace', 'enable'));
  selectFlags(trace.command('disable'))
    .description("remove the admin-layer overrides of Envoy's tracing runtime keys, restoring the configured sampling")
    .option('--dry-run', 'show what would change; send nothing')
    .addHelpText('after', `\n${TOGGLE_HELP}\n\nExamples:\n  meshctl trace disable deploy/webapp\n  meshctl trace enable --sampling 0     (stop new traces instead)\n\n${EXIT_CODES_HELP}`)
    .action(action('trace', 'disable'));
  selectFlags(trace.command('status'), 'table, wide (configured and runtime rates, listeners), json or yaml')
    .description('every proxy\'s tracing state: Envoy sampling and tracer (/runtime, listeners in /config_dump), Linkerd trace collector (/env.json)')
    .addHelpText('after', `\nExamples:\n  meshctl trace status\n  meshctl trace status ns/booksapp -o json\n\n${EXIT_CODES_HELP}`)
    .action(action('trace', 'status'));

  const demoFlags = (cmd: Command) =>
    cmd
      .addOption(new Option('--flavor <flavor>', 'proxy family the sidecars imitate').choices(['linkerd', 'istio']).default('linkerd'))
      .option('--rps <n>', 'requests per second the load generator sends to webapp', '10')
      .option('--error-rate <f>', 'share (0-1) of requests the books backend fails with a 500', '0.1')
      .option('--seed <n>', 'seed for pod names, traffic mix, latencies and failures (default: random)')
      .option('--otlp-grpc <host:port>', 'linkerd flavour: OTLP/gRPC collector the sidecars export spans to, as linkerd2-proxy does (default 127.0.0.1:4317; loopback only)')
      .option('--otlp-http <url>', 'istio flavour: OTLP/HTTP endpoint the sidecars export spans to (default http://127.0.0.1:4318/v1/traces; loopback only)')
      .option('--trace-share <f>', 'share (0-1) of requests that start a sampled trace (default 0.1 for linkerd; 0 for istio, whose sidecars decide)');
  const demo = program
    .command('demo')
    .description('a local bookstore mesh whose sidecars speak linkerd2-proxy\'s or Envoy\'s admin API')
    .addHelpText('after', `\nExamples:\n  meshctl demo up --flavor istio\n  meshctl stat\n  meshctl demo down\n  meshctl demo --flavor istio     (in the foreground until Ctrl-C)\n\n${EXIT_CODES_HELP}`);
  demoFlags(demo.command('run', {isDefault: true}))
    .description('run the demo in the foreground until Ctrl-C (the default)')
    .action(action('demo', 'run'));
  demoFlags(demo.command('up'))
    .description('start the demo in the background and make the "demo" context current')
    .action(action('demo', 'up'));
  demo.command('down').description('stop the demo and remove the "demo" context').action(action('demo', 'down'));
  demo
    .command('status')
    .description('whether the demo runs, and what runs where')
    .option('-o, --output <format>', 'table or json', 'table')
    .action(action('demo', 'status'));

  return program;
}

function defaultIo(): Io {
  return {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env};
}

/** Parse argv, run one command, and return the exit code. Never throws for user errors. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const controller = new AbortController();
  // Every in-flight request listens on this one signal; hundreds of proxies are expected.
  setMaxListeners(0, controller.signal);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.INTERRUPTED);
    interrupted = true;
    controller.abort();
    // A command that does not wind down promptly is not allowed to hang the terminal.
    setTimeout(() => process.exit(EXIT.INTERRUPTED), 2000).unref();
  };
  process.on('SIGINT', onSigint);
  let code: number = EXIT.OK;
  const program = buildProgram(io, controller.signal, (c) => (code = c));
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.OK;
    }
    await program.parseAsync(argv);
  } catch (error) {
    code = reportError(error, io);
  } finally {
    process.off('SIGINT', onSigint);
  }
  return interrupted ? EXIT.INTERRUPTED : code;
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return EXIT.OK;
    }
    // commander already printed its message.
    return EXIT.USAGE;
  }
  if (error instanceof UserError) {
    io.stderr.write(`meshctl: ${sanitize(error.message)}\n`);
    if (error.hint) io.stderr.write(`  ${sanitize(error.hint)}\n`);
    return error.exitCode;
  }
  const showStack = Boolean(io.env.MESHCTL_DEBUG);
  io.stderr.write(`meshctl: internal error: ${sanitize(errorMessage(error))}\n`);
  io.stderr.write(
    showStack && error instanceof Error && error.stack
      ? `${error.stack}\n`
      : '  this is a bug in meshctl; rerun with MESHCTL_DEBUG=1 for details and report it\n',
  );
  return EXIT.ERROR;
}
