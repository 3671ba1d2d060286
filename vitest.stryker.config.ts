import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of src/machines and
 * src/effects (`npm run stryker`): everything that runs the machines and
 * effects in this process on virtual time. The CLI and crash tests (child
 * processes of the built CLI) and the PostgreSQL tests stay out; they run
 * in `npm test`.
 */
export default defineConfig({
  test: {
    // behaviour only: the diagram test would kill any change to a machine's shape without judging what it does
    include: [
      'test/machines/*.paths.test.ts',
      'test/machines/pitfalls.test.ts',
      'test/machines/restore.test.ts',
      'test/effects/**/*.test.ts',
      'test/engine/engine.test.ts',
      'test/engine/fault-points.test.ts',
      'test/engine/guarantees.test.ts',
      'test/engine/limits.test.ts',
      'test/engine/workers.test.ts',
      'test/engine/stories-quota.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
