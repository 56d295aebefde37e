const preset = require('../../jest.preset.js');
const esmDeps = require('../../jest.esm-deps.js');

module.exports = {
  ...preset,
  displayName: 'broker-console',
  rootDir: __dirname,
  // Unit tests of the pure logic modules, then the real-browser tests (Chromium against the real
  // stack); the nx test target builds the console first.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // The real API in-process: its ESM-only dependencies compiled for Jest (see jest.esm-deps.js).
  transform: { ...preset.transform, ...esmDeps.transform },
  transformIgnorePatterns: esmDeps.transformIgnorePatterns,
};
