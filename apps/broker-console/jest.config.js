const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'broker-console',
  rootDir: __dirname,
  // Unit tests of the pure logic modules, then the real-browser tests (Chromium against the real
  // stack); the nx test target builds the console first.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // The browser tests start the real API in-process: @fastify/static requires the ESM-only
  // content-disposition 3, which Jest's CommonJS runtime needs compiled (as broker-api).
  transform: {
    ...preset.transform,
    'node_modules/content-disposition/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};
