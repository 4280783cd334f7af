import { definePackageTestConfig } from '@spec-kitty/vitest-config';

export default definePackageTestConfig();
