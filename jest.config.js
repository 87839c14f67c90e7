/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/__tests__/helpers/env.cjs'],
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.mjs',
  testTimeout: 60000,
  maxWorkers: 2,
  // The plain "N passed, N failed" line lets CI read the result whatever the runner prints.
  reporters: ['default', '<rootDir>/__tests__/helpers/count-reporter.cjs'],
};
