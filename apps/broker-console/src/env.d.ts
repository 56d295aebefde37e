// Vite bundles imported stylesheets into dist/assets (no inline <style>).
declare module '*.css';
