const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'broker-api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // @fastify/static (Swagger UI assets) requires the ESM-only content-disposition 3; Node 20.19+
  // loads it natively, Jest's CommonJS runtime needs it compiled.
  transform: {
    ...preset.transform,
    'node_modules/content-disposition/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};
