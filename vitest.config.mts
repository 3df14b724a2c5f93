import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the real-VS-Code tier has its own config (test/e2e/vitest.config.mts) and a mocha suite
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    // in-process CLI runs share fixture folders; tests of the cache turn it on explicitly
    env: { PGMIG_CACHE: '0' },
  },
});
