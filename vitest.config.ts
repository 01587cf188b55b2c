import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

// The '@/' alias of the extension's sources, for the Node-side projects (the unit project gets it from WxtVitest).
const alias = { '@': fileURLToPath(new URL('.', import.meta.url)) };

// Three layers: `unit` (pure logic and components, happy-dom, fake browser), `integration` (real companion
// server processes on 127.0.0.1) and `browser` (the built extension in Debian's Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest(), preact()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Only with ATC_TEST_POSTGRES=1: one PostgreSQL cluster that every test node runs on (see the file).
          globalSetup: ['test/integration/helpers/postgres-global.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the machine has 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
