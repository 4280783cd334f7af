import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a file under the workspace's sibling `shared/specs/` folder (CI places
 * `shared/` beside the clone), or null when absent, so spec-backed tests can skip cleanly.
 * `SPEC_KITTY_SHARED_DIR` overrides the location.
 */
export function sharedSpecPath(relative: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const repoRoot = resolve(here, '../../../..');
  const candidates = [
    process.env.SPEC_KITTY_SHARED_DIR ? join(process.env.SPEC_KITTY_SHARED_DIR, 'specs', relative) : null,
    join(repoRoot, '..', 'shared', 'specs', relative),
  ].filter((candidate): candidate is string => candidate !== null);
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}
