import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

const isTest = process.env.VITEST === 'true';

// The FastAPI backend serves `dist/` at `/` with an SPA fallback, so the app lives at the root.
export default defineConfig({
  base: '/',
  plugins: isTest ? [react()] : [react(), tailwindcss()],
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
            // Recharts and its dependencies: only the analytics pages load them.
            {
              name: 'charts',
              test: /node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor|decimal\.js-light|es-toolkit|@reduxjs|immer|react-redux|reselect|eventemitter3|tiny-invariant|clsx|use-sync-external-store|internmap)[\\/]/,
            },
            { name: 'vendor', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|cookie|set-cookie-parser)[\\/]/ },
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
