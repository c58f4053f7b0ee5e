import {existsSync, readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The real proxy captures live beside the project in ../shared/fixtures (never copied in).
 * MESHCTL_FIXTURES overrides the location. When absent, tests that need them are skipped
 * with a visible notice rather than silently passing.
 */
export const SHARED_FIXTURES = process.env.MESHCTL_FIXTURES ?? resolve(REPO_ROOT, '..', 'shared', 'fixtures');
export const HAVE_SHARED_FIXTURES = existsSync(SHARED_FIXTURES);

let noticed = false;
export function noticeIfMissing(): void {
  if (!HAVE_SHARED_FIXTURES && !noticed) {
    noticed = true;
    process.stderr.write(`\n[meshctl tests] NOTICE: shared fixtures not found at ${SHARED_FIXTURES}; tests over real captures are SKIPPED\n\n`);
  }
}
noticeIfMissing();

export function sharedFixturePath(relative: string): string {
  return join(SHARED_FIXTURES, relative);
}

export function readSharedFixture(relative: string): string {
  return readFileSync(sharedFixturePath(relative), 'utf8');
}

/** Data the project wrote itself for its own tests. */
export function ownFixturePath(relative: string): string {
  return join(REPO_ROOT, 'test', 'fixtures', relative);
}

export function readOwnFixture(relative: string): string {
  return readFileSync(ownFixturePath(relative), 'utf8');
}
