import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { constants } from 'node:zlib';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import type { Plugin } from 'vite';
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

/*
 * The entry script (src/main.tsx) is kept small so that a cold load's first requests leave at
 * once; it then imports the app (src/app/start.tsx). Preloading the app's chunks from index.html
 * lets them download meanwhile, instead of only once the entry has run.
 */
function preloadApp(): Plugin {
  return {
    name: 'preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {}).flatMap((output) => (output.type === 'chunk' ? [output] : []));
        const entry = chunks.find((chunk) => chunk.isEntry);
        const start = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/app/start.tsx'));
        if (!entry || !start) throw new Error('preload-app: the entry or src/app/start.tsx chunk is missing');
        const preloaded = new Set([entry.fileName, ...entry.imports]);
        const files = new Set<string>();
        const visit = (fileName: string) => {
          if (files.has(fileName)) return;
          files.add(fileName);
          const chunk = bundle?.[fileName];
          if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
        };
        visit(start.fileName);
        return [...files]
          .filter((file) => !preloaded.has(file))
          .map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' }));
      },
    },
  };
}

// The FastAPI backend serves `dist/` at `/` with an SPA fallback, so the app lives at the root.
export default defineConfig({
  base: '/',
  plugins: isTest ? [react()] : [react(), tailwindcss(), precompress, preloadApp()],
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
    testTimeout: 20_000,
    // A zone unlike the stores' in the tests, so a leak of the machine's zone shows up.
    env: { TZ: 'Asia/Kolkata' },
  },
});
