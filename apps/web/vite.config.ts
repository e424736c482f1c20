import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { constants } from 'node:zlib';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { defineConfig } from 'vitest/config';

const isTest = process.env.VITEST === 'true';

// Every text asset also gets .br and .gz siblings at build time, at the highest levels (built
// once, served many times); the backend sends the one the browser accepts (app/web.py).
const precompress = compression({
  algorithms: [
    defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    defineAlgorithm('gzip', { level: 9 }),
  ],
  skipIfLargerOrEqual: true,
});

// The FastAPI backend serves `dist/` at `/` with an SPA fallback, so the app lives at the root.
export default defineConfig({
  base: '/',
  plugins: isTest ? [react()] : [react(), tailwindcss(), precompress],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // React and the router first: every page needs them, and a group also takes the
            // dependencies of what it captures, so `charts` would otherwise swallow React.
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|cookie|set-cookie-parser)[\\/]/,
              priority: 2,
            },
            // Recharts and its dependencies: loaded by the chart component only (charts/Chart.tsx).
            {
              name: 'charts',
              test: /node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor|decimal\.js-light|es-toolkit|@reduxjs|immer|react-redux|reselect|eventemitter3|tiny-invariant|clsx|use-sync-external-store|internmap)[\\/]/,
            },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    restoreMocks: true,
    // A zone unlike the stores' in the tests, so a leak of the machine's zone shows up.
    env: { TZ: 'Asia/Kolkata' },
  },
});
