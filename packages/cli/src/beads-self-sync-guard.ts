import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BeadsConnector } from '@spec-kitty/connector-beads';
import { ConnectorRequestError } from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';

export type BeadsSelfSyncCheck = 'no-beads-workspace' | 'clear' | 'bd-unavailable';

/**
 * Before pushing into `provider`, refuses when the project's Beads workspace is configured for
 * bd's own `bd <tracker> sync` to the same tracker: two engines writing one tracker duplicate
 * issues (field research, "coexistence"). Throws the connector's `ConnectorConfigError` naming
 * the bd config keys. A project without `.beads/`, or the beads provider itself, is not checked.
 */
export async function checkBeadsSelfSync(
  projectDir: string,
  provider: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<BeadsSelfSyncCheck> {
  if (provider === 'beads' || !existsSync(join(projectDir, '.beads'))) return 'no-beads-workspace';
  const runner = new SubprocessCommandRunner({ env: { ...env } as NodeJS.ProcessEnv, timeoutMs: 15_000 });
  const beads = new BeadsConnector({ cwd: projectDir }, { runner });
  try {
    await beads.assertNoTrackerSyncConflict(provider);
    return 'clear';
  } catch (error) {
    // bd missing or failing: the check cannot run; the caller warns instead of blocking the run.
    if (ConnectorRequestError.isInstance(error)) return 'bd-unavailable';
    throw error;
  }
}
