/** Tests are transpiled without type-checking (ts-jest transpile mode); `npm run typecheck` checks types once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // `.ts` before `.js` (jest's default is the reverse): a compiled file left beside a source must
  // never be what a test runs (`npm run lint:tree` reports such files).
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 60000,
  // One worker per core: jest's default (cores - 1) leaves one of the two cores of our machines idle
  // while the main process only waits (npm run bench:tests: 36 s -> 29 s wall).
  maxWorkers: '100%',
  // Cloud assemblies go to a scratch directory of the run, removed at the end (test/support/scratch-dir.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
