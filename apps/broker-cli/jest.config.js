const preset = require('../../jest.preset.js');
const esmDeps = require('../../jest.esm-deps.js');

module.exports = {
  ...preset,
  displayName: 'broker-cli',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],

  // The real API in-process: its ESM-only dependencies compiled for Jest (see jest.esm-deps.js).
  transform: { ...preset.transform, ...esmDeps.transform },
  transformIgnorePatterns: esmDeps.transformIgnorePatterns,
};
