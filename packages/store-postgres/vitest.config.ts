import { definePackageTestConfig } from '@spec-kitty/vitest-config';
import { mergeConfig } from 'vitest/config';

// Tests run against a real PostgreSQL: SPEC_KITTY_TEST_DATABASE_URL, or a throwaway cluster the
// global setup starts (scripts/db-start.sh) and stops.
export default mergeConfig(definePackageTestConfig({ testTimeout: 60_000 }), {
  test: { globalSetup: ['../../scripts/db-vitest-setup.mjs'] },
});
