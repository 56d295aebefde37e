// Static build served by broker-api under /console/ (same origin, so the session cookie and the
// CSP's 'self' cover every asset and call). No CDN: everything is bundled into dist/.
import react from '@vitejs/plugin-react';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Nothing inlined as data: URLs or inline scripts (the CSP allows neither for scripts).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite -c apps/broker-console/vite.config.mjs` during development: the API on :8080.
    proxy: { '/v1': 'http://127.0.0.1:8080' },
  },
});
