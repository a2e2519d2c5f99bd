import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // stops the PostgreSQL server: its own run after this one (vitest.restart.config.ts)
    exclude: ['test/restart/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // runtime processes and databases are heavy on a 2-core machine
    fileParallelism: true,
    maxWorkers: 2,
  },
});
