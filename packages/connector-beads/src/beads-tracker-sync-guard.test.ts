import { ConnectorConfigError } from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createBeadsWorkspace, createFakeCliBinDir, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { findTrackerSyncConflicts } from './beads-tracker-sync-guard';
import { BeadsConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

function connectorWith(config: Record<string, string>) {
  const ws = createBeadsWorkspace({ config });
  const connector = new BeadsConnector({ cwd: ws.dir }, { runner: new SubprocessCommandRunner({ env }) });
  return { ws, connector };
}

describe("Beads coexistence with bd's own tracker sync", () => {
  it('finds nothing in a plain workspace', async () => {
    const { ws, connector } = connectorWith({ 'status.custom': 'review' });
    expect(await connector.detectTrackerSyncConflicts()).toEqual([]);
    await expect(connector.assertNoTrackerSyncConflict('linear')).resolves.toBeUndefined();
    expect(ws.calls().map((c) => c.argv)).toEqual([
      ['--json', 'config', 'list'],
      ['--json', 'config', 'list'],
    ]);
  });

  it('reports every configured tracker by key name only', async () => {
    const { connector } = connectorWith({
      'linear.api_key': 'lin_api_SECRET',
      'linear.team_id': 'T1',
      'linear.last_sync': '2026-01-01T00:00:00Z',
      'jira.url': 'https://acme.atlassian.net',
      'ado.pat': 'ADO_SECRET',
      'github.repo': '',
    });
    expect(await connector.detectTrackerSyncConflicts()).toEqual([
      { tracker: 'linear', keys: ['linear.api_key', 'linear.last_sync', 'linear.team_id'], hasSynced: true },
      { tracker: 'jira', keys: ['jira.url'], hasSynced: false },
      { tracker: 'azure_devops', keys: ['ado.pat'], hasSynced: false },
    ]);
  });

  it('refuses to sync with a tracker bd already syncs with, naming the keys and the fix', async () => {
    const { ws, connector } = connectorWith({ 'linear.api_key': 'lin_api_SECRET', 'linear.team_id': 'T1' });
    const error = await connector.assertNoTrackerSyncConflict('linear').then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(ConnectorConfigError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toBe(
      `Beads workspace "beads" (${ws.dir}) is also configured for bd's own Linear sync ` +
        '(bd config keys: linear.api_key, linear.team_id). Syncing it with Linear through spec-kitty as well ' +
        'would push the same issues twice (duplicates and echo updates). Use one engine: either stop running ' +
        '`bd linear sync` and remove its config (`bd config unset <key>` for each linear.* key), or do not sync ' +
        'this Beads workspace with Linear through spec-kitty.',
    );
    expect(message).not.toContain('SECRET');
    await expect(connector.assertNoTrackerSyncConflict('jira')).resolves.toBeUndefined();
    await expect(connector.assertNoTrackerSyncConflict('memory')).resolves.toBeUndefined();
  });

  it('maps azure_devops to bd ado.* keys', async () => {
    const { connector } = connectorWith({ 'ado.org': 'acme' });
    await expect(connector.assertNoTrackerSyncConflict('azure_devops')).rejects.toThrow(/bd ado sync/);
  });

  it('ignores schema_version and non-object payloads', () => {
    expect(findTrackerSyncConflicts({ schema_version: 1 })).toEqual([]);
    expect(findTrackerSyncConflicts([])).toEqual([]);
    expect(findTrackerSyncConflicts({ 'GitLab.Token': 'x' })).toMatchObject([{ tracker: 'gitlab' }]);
  });
});
