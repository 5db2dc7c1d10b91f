/** Jest runs TypeScript through ts-jest in transpile-only mode; `npm run typecheck` (tsc) owns type errors. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/test/global-setup.js',
};
