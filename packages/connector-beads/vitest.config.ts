import { definePackageTestConfig } from '@spec-kitty/vitest-config';

// Every test spawns real (fake) CLI processes; leave room for slow CI machines.
export default definePackageTestConfig({ testTimeout: 60_000 });
