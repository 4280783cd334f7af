import type { UserConfig } from 'vitest/config';
export declare function definePackageTestConfig(options?: {
  include?: string[];
  testTimeout?: number;
  setupFiles?: string[];
}): UserConfig;
