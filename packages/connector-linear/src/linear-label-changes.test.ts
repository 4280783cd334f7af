// Linear does not move an issue's updatedAt when only its labels change (the fake models this and
// records the change in the issue's history); incremental pulls still pick the change up, in the
// same single ListIssues request.
import { FieldOwner, InMemoryIssueStore, OwnershipPolicy, SyncEngine } from '@spec-kitty/core';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectorFor, startFake } from './test-helpers';

let fake: LinearFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  const violations = [...fake.server.violations];
  await fake.close();
  expect(violations).toEqual([]);
});

describe('label-only changes on Linear', () => {
  it('are returned by an incremental listIssues although updatedAt did not move', async () => {
    const team = fake.state.defaultTeam;
    const bug = fake.state.addLabel({ name: 'bug', teamId: team.id });
    const quiet = fake.state.addIssue({ teamId: team.id, title: 'Quiet' });
    fake.state.addIssue({ teamId: team.id, title: 'Untouched' });
    const checkpoint = new Date(fake.state.tick().getTime() + 1);
    const stamp = quiet.updatedAt.getTime();
    fake.state.touchIssue(quiet.id, { labelIds: [bug.id] });
    expect(quiet.updatedAt.getTime()).toBe(stamp);

    const connector = connectorFor(fake, { overlapMs: 0 });
    const page = await connector.listIssues({ updatedSince: checkpoint, cursor: null, limit: 50 });
    expect(page.items.map((issue) => [issue.title, issue.labels])).toEqual([['Quiet', ['bug']]]);
    expect(page.nextCursor).toBeNull();
    expect(fake.operationCount('ListIssues')).toBe(1);
  });

  it('reach the local store on the next incremental sync; a no-op incremental pull is one request', async () => {
    const team = fake.state.defaultTeam;
    const bug = fake.state.addLabel({ name: 'bug', teamId: team.id });
    const urgent = fake.state.addLabel({ name: 'urgent', teamId: team.id });
    const quiet = fake.state.addIssue({ teamId: team.id, title: 'Quiet', labelIds: [bug.id] });
    fake.state.addIssue({ teamId: team.id, title: 'Other' });
    const connector = connectorFor(fake, { overlapMs: 0 });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({
      connector,
      store,
      policy: OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED }),
    });
    expect((await engine.pull()).stats.pulledCreated).toBe(2);

    const before = fake.operationCount('ListIssues');
    const idle = await engine.pull();
    expect(idle.stats).toMatchObject({ pulledCreated: 0, pulledUpdated: 0 });
    // Nothing changed: one ListIssues request, as without label tracking.
    expect(fake.operationCount('ListIssues') - before).toBe(1);
    expect(fake.server.callCount()).toBe(before + 1);

    // Someone swaps the labels in Linear's UI: updatedAt stays, a history entry is written.
    const stamp = quiet.updatedAt.getTime();
    fake.state.touchIssue(quiet.id, { labelIds: [urgent.id] });
    expect(quiet.updatedAt.getTime()).toBe(stamp);
    const pulled = await engine.pull();
    expect(pulled.failures).toEqual([]);
    expect(pulled.stats.pulledUpdated).toBe(1);
    const local = (await store.listIssues({ system: 'linear' })).find((issue) => issue.title === 'Quiet');
    expect(local?.labels).toEqual(['urgent']);
    expect(fake.operationCount('ListIssues') - before).toBe(2);
    // Until another change moves the checkpoint past it, the issue comes back (same request,
    // same content): nothing is written.
    const again = await engine.pull();
    expect(again.stats).toMatchObject({ pulledCreated: 0, pulledUpdated: 0 });
    expect(fake.operationCount('ListIssues') - before).toBe(3);

    // The local copy now matches: a later sync writes nothing back.
    const writes = () => fake.operationCount('UpdateIssue') + fake.operationCount('CreateIssue');
    const writesBefore = writes();
    await engine.sync();
    expect(writes()).toBe(writesBefore);
  });
});
