// The CLI preflight of the Beads definition: before any pull/push/sync of another provider, refuse
// when the project's Beads workspace is configured for bd's own `bd <tracker> sync` to the same
// tracker — two engines writing one tracker duplicate issues.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ConnectorPreflightContext,
  type ConnectorPreflightResult,
  ConnectorRequestError,
} from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { BeadsConnector } from './beads-connector';

/** How long `bd config list` may take before the check gives up with a warning. */
const PREFLIGHT_TIMEOUT_MS = 15_000;

/**
 * `ok` for a project without `.beads/`, for the beads provider itself and when bd's own sync
 * targets another tracker; a warning when bd cannot run (the check could not be made); throws
 * the connector's `ConnectorConfigError` (naming the bd config keys, never their values) when bd
 * already syncs the bound tracker. Only pushing operations are checked.
 */
export async function beadsPreflight(context: ConnectorPreflightContext): Promise<ConnectorPreflightResult> {
  const { projectDir, provider, operation, env } = context;
  if (operation === 'pull' || provider === 'beads' || !existsSync(join(projectDir, '.beads')))
    return { ok: true };
  const runner = new SubprocessCommandRunner({
    env: { ...env } as NodeJS.ProcessEnv,
    timeoutMs: PREFLIGHT_TIMEOUT_MS,
  });
  const beads = new BeadsConnector({ cwd: projectDir }, { runner });
  try {
    await beads.assertNoTrackerSyncConflict(provider);
    return { ok: true };
  } catch (error) {
    if (!ConnectorRequestError.isInstance(error)) throw error;
    return {
      ok: false,
      warning: `${projectDir} has a .beads workspace but \`bd config list\` could not run, so bd's own tracker sync was not checked`,
    };
  }
}
