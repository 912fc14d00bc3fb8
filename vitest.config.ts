import { defineConfig } from 'vitest/config';

// One suite: unit tests (pure core), integration tests (real PostGIS: embedded PGlite, and
// PostgreSQL when TEST_DATABASE_URL is set), end-to-end tests (real Chromium).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // PGlite is one process-local connection and the machine has 2 cores: files run in parallel
    // forks, each integration file on its own copy of the migrated template database.
    pool: 'forks',
    maxWorkers: 2,
  },
});
