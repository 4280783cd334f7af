import { definePackageTestConfig } from '@spec-kitty/vitest-config';

// Each test starts a sandbox process (Linear and Jira load large schemas) and several CLI runs.
export default definePackageTestConfig({ testTimeout: 180_000 });
