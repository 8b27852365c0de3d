import { defineConfig } from 'vite';

// The renderer is built once and served by both hosts: Electron (file in the asar) and `orgconnect serve`.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // One ~1.2 MB bundle (most of it Cloudscape) read from the local disk or 127.0.0.1, never over a network:
    // splitting it would add requests without making the first paint faster. Warn only past twice today's size.
    chunkSizeWarningLimit: 2500,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Cloudscape marks its components 'use client' for React Server Components; a client-only bundle has
        // nothing to preserve, so the directive is dropped on purpose (one warning per component otherwise).
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && /['"]use client['"]/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  esbuild: { jsx: 'automatic' },
});
