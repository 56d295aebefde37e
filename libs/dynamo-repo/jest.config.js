module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dynamo-repo',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
};
