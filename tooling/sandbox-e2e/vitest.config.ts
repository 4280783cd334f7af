import { definePackageTestConfig } from '@spec-kitty/vitest-config';

// Each test starts a sandbox process (Linear and Jira load large schemas) and several CLI runs;
// on a busy 2-core machine that has taken over two minutes.
export default definePackageTestConfig({ testTimeout: 300_000 });
