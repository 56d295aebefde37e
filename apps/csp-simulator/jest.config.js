module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'csp-simulator',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
};
