// Builds the console (index.html) and the public pages (report.html, check.html) into dist/,
// served by fanzha under /console/assets. The public pages are separate entries so a customer's
// phone never downloads the console or the chart library.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // Inline nothing: the server's CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      input: { index: here('index.html'), report: here('report.html'), check: here('check.html') },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    root: here('.'),
  },
});
