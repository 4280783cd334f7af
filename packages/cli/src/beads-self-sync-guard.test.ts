import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorConfigError } from '@spec-kitty/core';
import { createBeadsWorkspace, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { checkBeadsSelfSync } from './beads-self-sync-guard';

describe('Beads self-sync guard', () => {
  it("refuses to push into a tracker that the project's bd already syncs itself", async () => {
    const workspace = createBeadsWorkspace({
      config: { 'linear.api_key': 'lin_secret_value', 'linear.team_id': 'T1' },
    });
    const error = await checkBeadsSelfSync(workspace.dir, 'linear', fakeCliEnv()).catch(
      (caught: unknown) => caught,
    );
    expect(ConnectorConfigError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('linear.api_key');
    expect((error as Error).message).not.toContain('lin_secret_value');
  });

  it('lets other trackers through and skips projects without a Beads workspace', async () => {
    const workspace = createBeadsWorkspace({ config: { 'linear.api_key': 'x' } });
    expect(await checkBeadsSelfSync(workspace.dir, 'github', fakeCliEnv())).toBe('clear');
    expect(await checkBeadsSelfSync(workspace.dir, 'beads', fakeCliEnv())).toBe('no-beads-workspace');
    const plain = mkdtempSync(join(tmpdir(), 'no-beads-'));
    expect(await checkBeadsSelfSync(plain, 'linear', fakeCliEnv())).toBe('no-beads-workspace');
  });

  it('reports when bd cannot run instead of blocking', async () => {
    const workspace = createBeadsWorkspace({ config: { 'linear.api_key': 'x' } });
    expect(await checkBeadsSelfSync(workspace.dir, 'linear', { ...process.env, PATH: '/nonexistent' })).toBe(
      'bd-unavailable',
    );
  });
});
