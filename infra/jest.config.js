module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'infra',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // Synthesis is CPU-heavy; several files each synthesise the stack once.
  testTimeout: 120000,
};
