import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { draftIssue } from '@spec-kitty/connector-testkit';
import { createRef } from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import {
  createBeadsWorkspace,
  createFakeCliBinDir,
  type FakeWorkspace,
  fakeCliEnv,
} from '@spec-kitty/fake-trackers/cli';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHECK_GONE_BATCH } from './beads-gone';
import { BeadsConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

function connectorFor(dir: string, extraEnv: Record<string, string> = {}, timeoutMs = 30_000) {
  const runner = new SubprocessCommandRunner({ env: { ...env, ...extraEnv }, timeoutMs, provider: 'beads' });
  return new BeadsConnector({ cwd: dir, workspace: 'repo' }, { runner });
}

const ref = (id: string) => createRef({ system: 'beads', workspace: 'repo', id });

const draft = (title: string) =>
  draftIssue({ ref: { system: 'local', workspace: 'repo', id: title }, title });

type BeadsState = { issues: Record<string, Record<string, unknown>> };

describe('BeadsConnector deletions', () => {
  let ws: FakeWorkspace;
  let connector: BeadsConnector;

  beforeEach(() => {
    ws = createBeadsWorkspace({ prefix: 'sk' });
    connector = connectorFor(ws.dir);
  });

  it('declares reportsDeletions', async () => {
    expect((await connector.getCapabilities()).reportsDeletions).toBe(true);
  });

  it('checkGone: one bd show for the batch; deleted and tombstoned issues, live ones omitted', async () => {
    const [live, deleted, tombstoned] = [
      await connector.createIssue(draft('live')),
      await connector.createIssue(draft('deleted')),
      await connector.createIssue(draft('tombstoned')),
    ];
    const state = ws.readState() as BeadsState;
    delete state.issues[deleted.ref.id];
    (state.issues[tombstoned.ref.id] as Record<string, unknown>).status = 'tombstone';
    ws.writeState(state);
    ws.clearCalls();
    const tombstones = await connector.checkGone([live.ref, deleted.ref, tombstoned.ref]);
    expect(tombstones.map((t) => [t.ref.id, t.reason])).toEqual([
      [deleted.ref.id, 'deleted'],
      [tombstoned.ref.id, 'deleted'],
    ]);
    expect(ws.calls().map((call) => call.argv.slice(0, 2))).toEqual([['--json', 'show']]);
  });

  it('checkGone: every id gone (bd exits 1 with "no issues found matching") is all deleted', async () => {
    const tombstones = await connector.checkGone([ref('sk-zzzz'), ref('sk-yyyy')]);
    expect(tombstones.map((t) => t.ref.id)).toEqual(['sk-zzzz', 'sk-yyyy']);
  });

  it('checkGone: a partial id that bd resolves to another issue is not taken as live', async () => {
    const parent = await connector.createIssue(draft('parent'));
    const state = ws.readState() as BeadsState;
    const record = state.issues[parent.ref.id] as Record<string, unknown>;
    // A child id contains its parent's: `bd show <parent>` after the parent is gone resolves to it.
    state.issues[`${parent.ref.id}.1`] = { ...record, id: `${parent.ref.id}.1` };
    delete state.issues[parent.ref.id];
    ws.writeState(state);
    expect((await connector.checkGone([parent.ref])).map((t) => t.ref.id)).toEqual([parent.ref.id]);
  });

  it(`checkGone runs one bd show per ${CHECK_GONE_BATCH} ids`, async () => {
    const refs = Array.from({ length: CHECK_GONE_BATCH + 1 }, (_, index) => ref(`sk-gone${index}`));
    ws.clearCalls();
    expect(await connector.checkGone(refs)).toHaveLength(CHECK_GONE_BATCH + 1);
    expect(ws.calls()).toHaveLength(2);
  });

  it('an old bd listing tombstone records reports them as tombstones, not items', async () => {
    const live = await connector.createIssue(draft('live'));
    const gone = await connector.createIssue(draft('gone'));
    const state = ws.readState() as BeadsState;
    (state.issues[gone.ref.id] as Record<string, unknown>).status = 'tombstone';
    ws.writeState(state);
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    expect(page.items.map((issue) => issue.ref.id)).toEqual([live.ref.id]);
    expect(page.tombstones?.map((t) => [t.ref.id, t.reason])).toEqual([[gone.ref.id, 'deleted']]);
  });

  it.each([
    ['a crash', { FAKE_BD_FAULT: 'crash:2@show' }],
    ['garbage output', { FAKE_BD_FAULT: 'garbage@show' }],
  ])('checkGone throws on %s instead of reporting a deletion', async (_label, faultEnv) => {
    const issue = await connector.createIssue(draft('one'));
    await expect(connectorFor(ws.dir, faultEnv).checkGone([issue.ref])).rejects.toThrow();
  });

  it('checkGone throws on a timeout instead of reporting a deletion', async () => {
    const issue = await connector.createIssue(draft('one'));
    await expect(
      connectorFor(ws.dir, { FAKE_BD_FAULT: 'hang@show' }, 300).checkGone([issue.ref]),
    ).rejects.toThrow();
  });

  it('checkGone throws outside a beads workspace instead of reporting a deletion', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-beads-'));
    await expect(connectorFor(empty).checkGone([ref('sk-aaaa')])).rejects.toThrow(/no beads database/);
  });
});
