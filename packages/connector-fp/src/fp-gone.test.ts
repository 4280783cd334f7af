import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { draftIssue } from '@spec-kitty/connector-testkit';
import { createRef } from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import {
  createFakeCliBinDir,
  createFpWorkspace,
  type FakeWorkspace,
  fakeCliEnv,
} from '@spec-kitty/fake-trackers/cli';
import { beforeEach, describe, expect, it } from 'vitest';
import { FPConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

function connectorFor(dir: string, extraEnv: Record<string, string> = {}, timeoutMs = 30_000) {
  const runner = new SubprocessCommandRunner({ env: { ...env, ...extraEnv }, timeoutMs, provider: 'fp' });
  return new FPConnector({ cwd: dir, workspace: 'repo' }, { runner });
}

const draft = (title: string) => draftIssue({ ref: { system: 'fp', workspace: 'repo', id: title }, title });

const ref = (id: string) => createRef({ system: 'fp', workspace: 'repo', id });

describe('FPConnector deletions', () => {
  let ws: FakeWorkspace;
  let connector: FPConnector;

  beforeEach(() => {
    ws = createFpWorkspace();
    connector = connectorFor(ws.dir);
  });

  it('declares reportsDeletions', async () => {
    expect((await connector.getCapabilities()).reportsDeletions).toBe(true);
  });

  it('checkGone: one list, one show per unlisted ref; deleted ones reported, live ones omitted', async () => {
    const live = await connector.createIssue(draft('live'));
    const deleted = await connector.createIssue(draft('deleted'));
    const state = ws.readState() as { issues: Record<string, unknown> };
    delete state.issues[deleted.ref.id];
    ws.writeState(state);
    ws.clearCalls();
    const tombstones = await connector.checkGone([live.ref, deleted.ref, ref('FP-nothere')]);
    expect(tombstones.map((t) => [t.ref.id, t.reason])).toEqual([
      [deleted.ref.id, 'deleted'],
      ['FP-nothere', 'deleted'],
    ]);
    expect(ws.calls().map((call) => call.argv.slice(0, 2).join(' '))).toEqual([
      'issue list',
      'issue show',
      'issue show',
    ]);
  });

  it.each([
    ['a crash of the list', { FAKE_FP_FAULT: 'crash:2@issue list' }],
    ['a crash of the confirming show', { FAKE_FP_FAULT: 'crash:2@issue show' }],
  ])('checkGone throws on %s instead of reporting a deletion', async (_label, faultEnv) => {
    await expect(connectorFor(ws.dir, faultEnv).checkGone([ref('FP-nothere')])).rejects.toThrow();
  });

  it('checkGone throws on a timeout instead of reporting a deletion', async () => {
    await expect(
      connectorFor(ws.dir, { FAKE_FP_FAULT: 'hang@issue show' }, 300).checkGone([ref('FP-nothere')]),
    ).rejects.toThrow();
  });

  it('checkGone throws outside an fp project instead of reporting a deletion', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-fp-'));
    await expect(connectorFor(empty).checkGone([ref('FP-aaaa')])).rejects.toThrow(/\.fp directory not found/);
  });
});
