import { defineConfig } from 'vite';

// The renderer is built once and served by both hosts: Electron (file in the asar) and `orgconnect serve`.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
  esbuild: { jsx: 'automatic' },
});
