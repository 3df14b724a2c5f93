import { defineConfig } from 'vitest/config';

// One VS Code (about 1 GB and a core) at a time: files run one after another in one fork.
export default defineConfig({
  test: {
    include: ['test/e2e/ui/**/*.e2e.test.ts'],
    fileParallelism: false,
    pool: 'forks',
    // generous: the steps wait on a busy 2-core machine, where VS Code runs 2–3× slower
    testTimeout: 240_000,
    hookTimeout: 180_000,
    reporters: ['verbose'],
  },
});
