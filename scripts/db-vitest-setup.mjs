// Vitest globalSetup for packages that test against a real PostgreSQL. Uses
// SPEC_KITTY_TEST_DATABASE_URL when set (CI starts one cluster for the whole run); otherwise starts
// a throwaway cluster with scripts/db-start.sh and stops it after the package's tests.
// Tests read the URL with `inject('databaseUrl')`. turbo.json lists the variable as the test task's
// passThroughEnv: turbo's strict env mode would hide it from the task otherwise, and its value (a
// random port) must not be part of the cache key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = dirname(fileURLToPath(import.meta.url));

/** @param {{ provide: (key: string, value: unknown) => void }} project */
export default function setup(project) {
  const given = process.env.SPEC_KITTY_TEST_DATABASE_URL;
  if (given) {
    project.provide('databaseUrl', given);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'spec-kitty-pg.'));
  let output;
  try {
    output = execFileSync('bash', [join(scripts, 'db-start.sh')], {
      // A fixed port would collide between packages testing in parallel: each takes a free one.
      env: { ...process.env, SPEC_KITTY_PG_DIR: dir, SPEC_KITTY_PG_PORT: '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (error) {
    throw new Error(
      `These tests need PostgreSQL and scripts/db-start.sh could not start it (${error.message}). Install PostgreSQL (apt-get install -y postgresql) or set SPEC_KITTY_TEST_DATABASE_URL to a database the tests may write to.`,
    );
  }
  const url = /DATABASE_URL=(\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`scripts/db-start.sh printed no DATABASE_URL:\n${output}`);
  project.provide('databaseUrl', url);
  return () => {
    execFileSync('bash', [join(scripts, 'db-stop.sh'), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  };
}
