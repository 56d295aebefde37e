const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'broker-client',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The drift test builds the real API in-process: @fastify/static (Swagger UI) requires the
  // ESM-only content-disposition 3, which Jest's CommonJS runtime needs compiled (as broker-api).
  transform: {
    ...preset.transform,
    'node_modules/content-disposition/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};
