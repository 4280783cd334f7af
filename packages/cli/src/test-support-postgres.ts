import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

// A real PostgreSQL for the CLI's tests: SPEC_KITTY_TEST_DATABASE_URL, else a throwaway cluster
// started with scripts/db-start.sh (which needs Debian's postgresql package).

const scripts = fileURLToPath(new URL('../../../scripts/', import.meta.url));

export interface TestDatabase {
  readonly url: string;
  /** Stops the throwaway cluster, or (on a given database) drops the schemas the test made. */
  release(schemas: readonly string[]): Promise<void>;
}

/** The test database; throws when no URL is given and no cluster can be started. */
export function startTestDatabase(): TestDatabase {
  const given = process.env.SPEC_KITTY_TEST_DATABASE_URL;
  if (given !== undefined && given !== '')
    return {
      url: given,
      async release(schemas) {
        const client = new pg.Client({ connectionString: given });
        await client.connect();
        try {
          for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  const clusterDir = mkdtempSync(join(tmpdir(), 'spec-kitty-pg.'));
  const stop = (): void => {
    execFileSync('bash', [join(scripts, 'db-stop.sh'), clusterDir], { stdio: 'ignore' });
  };
  const output = execFileSync('bash', [join(scripts, 'db-start.sh')], {
    env: { ...process.env, SPEC_KITTY_PG_DIR: clusterDir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = /DATABASE_URL=(\S+)/.exec(output)?.[1];
  if (url === undefined) {
    stop();
    throw new Error('scripts/db-start.sh printed no DATABASE_URL line');
  }
  return { url, release: async () => stop() };
}
