import { defineConfig } from 'vitest/config';

// Runs alone, after every other suite: it stops the PostgreSQL server the others use.
export default defineConfig({
  test: { include: ['test/restart/**/*.test.ts'], testTimeout: 60_000, fileParallelism: false },
});
