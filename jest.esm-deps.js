// ESM-only dependencies that projects booting the real API in-process load under Jest's
// CommonJS runtime, compiled to CommonJS (Node 20.19+ loads them natively outside Jest):
// - content-disposition 3, required by @fastify/static (Swagger UI assets, the console);
// - cookie 2, which @fastify/cookie loads with a dynamic import() (it becomes a require).
const toCommonJs = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

module.exports = {
  transform: {
    'node_modules/content-disposition/.+\\.js$': toCommonJs,
    'node_modules/@fastify/cookie/(index|node_modules/cookie/.+)\\.js$': toCommonJs,
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/|@fastify/cookie/|cookie/)'],
};
