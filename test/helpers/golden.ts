import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {expect} from 'vitest';
import {ownFixturePath} from './fixtures.js';

/**
 * Compare output with test/fixtures/golden/<name>.golden (the linkerd viz testdata idea).
 * Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
 */
export function expectGolden(name: string, actual: string): void {
  const path = ownFixturePath(`golden/${name}.golden`);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(path), {recursive: true});
    writeFileSync(path, actual);
  }
  expect(existsSync(path), `${path} is missing; create it with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
