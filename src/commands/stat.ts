import type {CommandContext} from './context.js';
import {UserError} from '../errors.js';

export async function run(_ctx: CommandContext, _args: string[], _options: Record<string, unknown>): Promise<number> {
  throw new UserError('stat is not implemented yet');
}
