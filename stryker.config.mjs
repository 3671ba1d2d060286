/**
 * Mutation testing of the machines and effects (`npm run stryker`): a
 * mutant is a small change to their code; the tests of
 * vitest.stryker.config.ts must fail for each. The score goes in the README.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  mutate: ['src/machines/**/*.ts', 'src/effects/**/*.ts', '!src/machines/mermaid.ts'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  coverageAnalysis: 'perTest',
  // machine definitions are evaluated at import: each of their mutants needs a whole test run (see README)
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
