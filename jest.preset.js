// Shared Jest settings: SWC with legacy decorators + metadata (Nest DI needs it), and
// workspace libs resolved to their TypeScript sources so tests never need a build.
const path = require('node:path');

const libs = path.join(__dirname, 'libs');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    // The simulator is an app, not a lib: map it before the generic lib entries.
    '^@broker/csp-simulator$': `${__dirname}/apps/csp-simulator/src/index.ts`,
    // The worker app's test entry (other apps' e2e tests run a real worker).
    '^@broker/broker-worker/testing$': `${__dirname}/apps/broker-worker/test/testing/worker-testing.ts`,
    // The API app's test entry (the client's drift test and the CLI's e2e tests run the real API).
    '^@broker/broker-api/testing$': `${__dirname}/apps/broker-api/test/testing/api-test-app.ts`,
    // The client lib's folder is broker-client, its package name @broker/client.
    '^@broker/client$': `${libs}/broker-client/src/index.ts`,
    '^@broker/([a-z-]+)$': `${libs}/$1/src/index.ts`,
    '^@broker/([a-z-]+)/([a-z-]+)$': `${libs}/$1/src/$2/index.ts`,
  },
  testTimeout: 30000,
};
