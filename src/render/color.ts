import {Chalk, type ChalkInstance} from 'chalk';

export interface ColorInputs {
  /** `--color` (true) / `--no-color` (false) / neither (undefined). */
  flag?: boolean;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** Machine-readable output never carries colour. */
  machineOutput: boolean;
}

/**
 * Decide whether to colour, in this order: the flag, FORCE_COLOR, machine output (json/yaml/
 * ndjson), NO_COLOR (set and non-empty), TERM=dumb, and finally whether stdout is a terminal.
 * chalk does not look at NO_COLOR itself, so every decision is made here.
 */
export function shouldColor({flag, env, isTTY, machineOutput}: ColorInputs): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force === 'false');
  if (machineOutput) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({level: enabled ? 1 : 0});
}

export type {ChalkInstance};
