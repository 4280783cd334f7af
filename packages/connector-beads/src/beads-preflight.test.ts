import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorConfigError } from '@spec-kitty/core';
import { createBeadsWorkspace, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { beadsConnectorDefinition } from './beads-definition';

const preflight = beadsConnectorDefinition.cli!.preflight!;

describe('Beads CLI preflight (the definition hook the CLI runs before every run)', () => {
  it("refuses to push into a tracker that the project's bd already syncs itself", async () => {
    const workspace = createBeadsWorkspace({
      config: { 'linear.api_key': 'lin_secret_value', 'linear.team_id': 'T1' },
    });
    const error = await preflight({
      projectDir: workspace.dir,
      provider: 'linear',
      operation: 'push',
      env: fakeCliEnv(),
    }).catch((caught: unknown) => caught);
    expect(ConnectorConfigError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('linear.api_key');
    expect((error as Error).message).not.toContain('lin_secret_value');
  });

  it('lets other trackers, pulls and the beads provider through, and skips projects without .beads', async () => {
    const workspace = createBeadsWorkspace({ config: { 'linear.api_key': 'x' } });
    const base = { projectDir: workspace.dir, operation: 'sync' as const, env: fakeCliEnv() };
    expect(await preflight({ ...base, provider: 'github' })).toEqual({ ok: true });
    expect(await preflight({ ...base, provider: 'beads' })).toEqual({ ok: true });
    expect(await preflight({ ...base, provider: 'linear', operation: 'pull' })).toEqual({ ok: true });
    const plain = mkdtempSync(join(tmpdir(), 'no-beads-'));
    expect(await preflight({ ...base, projectDir: plain, provider: 'linear' })).toEqual({ ok: true });
  });

  it('warns when bd cannot run instead of blocking', async () => {
    const workspace = createBeadsWorkspace({ config: { 'linear.api_key': 'x' } });
    const result = await preflight({
      projectDir: workspace.dir,
      provider: 'linear',
      operation: 'push',
      env: { ...process.env, PATH: '/nonexistent' },
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.warning).toContain('`bd config list` could not run');
  });
});
