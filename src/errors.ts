import {EXIT, type ExitCode} from './exit-codes.js';

/**
 * An expected failure the user can act on. Printed as `meshctl: <message>` plus an optional
 * hint, never with a stack trace. Anything that is not a UserError is a bug.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;

  constructor(message: string, options: {hint?: string; exitCode?: ExitCode} = {}) {
    super(message);
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.ERROR;
  }
}

/** Bad flags or arguments (exit 2). */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, {hint, exitCode: EXIT.USAGE});
    this.name = 'UsageError';
  }
}

/** The proxy family cannot do what was asked (exit 4). */
export class UnsupportedError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, {hint, exitCode: EXIT.UNSUPPORTED});
    this.name = 'UnsupportedError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
