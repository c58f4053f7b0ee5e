import {defineConfig} from 'vitest/config';

// Tests run the built CLI (dist/) against real loopback servers, so `npm test` builds first.
// Forks keep each file's servers and timers isolated; two workers match the 2-core CI machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
