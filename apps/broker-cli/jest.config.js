const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'broker-cli',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // The e2e tests start the real API in-process: @fastify/static (Swagger UI) requires the
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
