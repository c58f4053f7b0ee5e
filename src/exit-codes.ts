/** The exit-code contract, printed in `--help`. New codes are only ever added, never reused. */
export const EXIT = {
  OK: 0,
  /** Nothing usable: every proxy failed, or a runtime error the user must fix. */
  ERROR: 1,
  /** Bad flags or arguments. */
  USAGE: 2,
  /** Some proxies failed; results for the rest were printed. */
  PARTIAL: 3,
  /** The proxy family cannot do what was asked (e.g. runtime tracing toggles on Linkerd). */
  UNSUPPORTED: 4,
  /** Interrupted by Ctrl-C / SIGINT. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    error: nothing usable (every proxy failed, or a problem to fix first)
  2    usage: bad flags or arguments
  3    partial: some proxies failed; results for the rest were printed
  4    unsupported: the proxy family cannot do this (the message says what can)
  130  interrupted (Ctrl-C)`;
