// The sync engine and mission bridge of @spec-kitty/core against the reference connector.
import {
  BidirectionalIssueSync,
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  ConflictStrategy,
  cloneIssue,
  createIssue,
  createMissionUpdate,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
  TrackerEventType,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { InMemoryConnector } from '../src/memory-connector';

const ref = (id: string) => createRef({ system: 'memory', workspace: 'demo', id });
const issue = (id: string, init: Partial<CanonicalIssue> = {}) =>
  createIssue({
    ref: ref(id),
    title: `Issue ${id}`,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    ...init,
  });

function clock(start = Date.UTC(2026, 0, 1)) {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

describe('SyncEngine with InMemoryConnector', () => {
  it('syncs both ways, resolves a conflict by policy and then converges', async () => {
    const connector = new InMemoryConnector({ name: 'memory', workspace: 'demo' }, { now: clock() });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({
      connector,
      store,
      policy: OwnershipPolicy.split({ fieldOwners: { status: FieldOwner.EXTERNAL } }),
      strategy: ConflictStrategy.LOCAL_WINS,
    });
    await connector.createIssue(issue('A'));
    await connector.createIssue(issue('B'));
    await store.upsertIssue(issue('L'));
    const first = await engine.sync();
    expect(first.stats).toMatchObject({ pulledCreated: 2, pushedCreated: 1 });
    expect(connector.size).toBe(3);

    await connector.updateIssue(ref('A'), { title: 'remote title', status: CanonicalStatus.IN_PROGRESS });
    const local = (await store.getIssue(ref('A'))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { title: 'local title', status: CanonicalStatus.DONE }));
    const second = await engine.sync();
    expect(second.conflicts.map((conflict) => [conflict.fieldName, conflict.resolvedValue])).toEqual([
      ['title', 'local title'],
    ]);
    // status is external-owned: the remote value wins without a conflict.
    expect(await connector.getIssue(ref('A'))).toMatchObject({ title: 'local title', status: 'in_progress' });

    const events = connector.events().length;
    const third = await engine.sync();
    expect(third.conflicts).toEqual([]);
    expect(third.stats).toMatchObject({ pulledUpdated: 0, pushedUpdated: 0, pushedCreated: 0 });
    expect(connector.events().length).toBe(events);
  });

  it('publishes a mission update through the bridge', async () => {
    const connector = new InMemoryConnector({ name: 'memory', workspace: 'demo' });
    await connector.createIssue(issue('A'));
    const bridge = new BidirectionalIssueSync({ connector });
    const update = createMissionUpdate({ missionId: 'm-1', missionState: 'done', decisionReferences: [] });
    const published = await bridge.publishMissionUpdate({ issueRef: ref('A'), update });
    expect(published.customFields.spec_kitty_mission).toMatchObject({
      mission_id: 'm-1',
      mission_state: 'done',
    });
    expect(connector.events().map((event) => event.eventType)).toEqual([
      TrackerEventType.CREATED,
      TrackerEventType.UPDATED,
      TrackerEventType.COMMENT_ADDED,
    ]);
  });
});
