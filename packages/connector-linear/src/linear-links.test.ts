// Links are read back from Linear's relations in the listing itself (bounded inline connections,
// a batched follow-up per page for issues with more) and round-trip through sync without echo.
import {
  createLink,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  LinkType,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, describe, expect, it } from 'vitest';
import { inlineRelations, MAX_RELATIONS, RELATIONS_BATCH_SIZE } from './linear-queries';
import { connectorFor, startFake } from './test-helpers';

let fake: LinearFake | null = null;
afterEach(async () => {
  const violations = [...(fake?.server.violations ?? [])];
  await fake?.close();
  fake = null;
  expect(violations).toEqual([]);
});

const MUTATIONS = ['CreateIssue', 'UpdateIssue', 'CreateIssueRelation', 'CreateComment', 'CreateIssueLabel'];
const mutations = (linear: LinearFake) =>
  MUTATIONS.reduce((sum, name) => sum + linear.operationCount(name), 0);

function seed(linear: LinearFake, count: number): { id: string }[] {
  const teamId = linear.state.defaultTeam.id;
  return Array.from({ length: count }, (_, index) =>
    linear.state.addIssue({ teamId, title: `Issue ${index}` }),
  );
}

const linksOf = (issue: { links: readonly { type: string; target: { id: string } }[] }) =>
  issue.links.map((link) => [link.type, link.target.id]);

describe('Linear links read back', () => {
  it('fills links from relations in the one listing query, both directions', async () => {
    fake = await startFake();
    const [a, b, c] = seed(fake, 3).map((issue) => issue.id) as [string, string, string];
    fake.state.addRelation(a, b, 'blocks');
    fake.state.addRelation(a, c, 'duplicate');
    fake.state.addRelation(c, a, 'related');
    fake.state.addRelation(b, c, 'similar');
    fake.state.touchIssue(b, { parentId: a });
    const connector = connectorFor(fake);
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    const byId = new Map(page.items.map((issue) => [issue.ref.id, issue]));
    // Sorted by type, then target (Linear lists relations newest first).
    expect(linksOf(byId.get(a)!)).toEqual([
      ['blocks', b],
      ['duplicates', c],
      ['relates_to', c],
    ]);
    // The reverse ends: blocked_by, related (symmetric); an incoming duplicate and `similar` are not links.
    expect(linksOf(byId.get(b)!)).toEqual([['blocked_by', a]]);
    expect(linksOf(byId.get(c)!)).toEqual([['relates_to', a]]);
    expect(byId.get(b)?.parent?.id).toBe(a);
    const target = byId.get(a)?.links[0]?.target;
    expect(target).toMatchObject({ system: 'linear', workspace: 'linear', id: b });
    expect(target?.key).toMatch(/^ENG-\d+$/);
    expect(fake.operationCount('ListIssues')).toBe(1);
    expect(fake.operationCount('IssueRelationsBatch')).toBe(0);
    expect(fake.operationCount('IssueRelations')).toBe(0);
  });

  it('sizes inline relations to the complexity budget and batches the overflow per page', async () => {
    expect(inlineRelations(250)).toBe(1);
    expect(inlineRelations(100)).toBeGreaterThanOrEqual(8);
    expect(inlineRelations(1)).toBe(MAX_RELATIONS);
    fake = await startFake();
    const issues = seed(fake, 40);
    const hub = issues[0]!;
    // 30 issues with two outgoing relations each: more than one inline at page size 250.
    for (const issue of issues.slice(1, 31)) {
      fake.state.addRelation(issue.id, hub.id, 'blocks');
      fake.state.addRelation(issue.id, issues[35]!.id, 'related');
    }
    const connector = connectorFor(fake);
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 250 });
    expect(page.items).toHaveLength(40);
    for (const issue of page.items.filter((item) => issues.slice(1, 31).some((i) => i.id === item.ref.id))) {
      expect(linksOf(issue)).toEqual([
        ['blocks', hub.id],
        ['relates_to', issues[35]!.id],
      ]);
    }
    // The hub is blocked by 30 issues (incoming overflow too): all read back.
    const hubRead = page.items.find((item) => item.ref.id === hub.id)!;
    expect(hubRead.links.filter((link) => link.type === LinkType.BLOCKED_BY)).toHaveLength(30);
    expect(page.items.find((item) => item.ref.id === issues[35]!.id)?.links).toHaveLength(30);
    // 32 issues overflow: two batched follow-ups (25 + 7), not one query per issue.
    expect(fake.operationCount('ListIssues')).toBe(1);
    expect(fake.operationCount('IssueRelationsBatch')).toBe(Math.ceil(32 / RELATIONS_BATCH_SIZE));
    expect(fake.operationCount('IssueRelations')).toBe(0);
    for (const operation of fake.operations) expect(operation.complexity).toBeLessThan(10_000);
  });

  it('round-trips links through sync: a pull then syncs write nothing; a local link is written once', async () => {
    fake = await startFake();
    const [a, b, c] = seed(fake, 3).map((issue) => issue.id) as [string, string, string];
    fake.state.addRelation(a, b, 'blocks');
    fake.state.addRelation(b, c, 'related');
    const connector = connectorFor(fake);
    const store = new InMemoryIssueStore();
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
    const engine = new SyncEngine({ connector, store, policy });
    await engine.pull();
    const pulled = new Map(
      (await store.listIssues({ system: 'linear' })).map((issue) => [issue.ref.id, issue]),
    );
    expect(linksOf(pulled.get(b)!)).toEqual([
      ['blocked_by', a],
      ['relates_to', c],
    ]);
    for (let round = 0; round < 2; round++) {
      const result = await engine.sync();
      expect(result.failures).toEqual([]);
      expect(result.stats.pushedUpdated).toBe(0);
    }
    expect(mutations(fake)).toBe(0);

    // A link added locally is written as one relation, then nothing more.
    const local = pulled.get(c)!;
    // Authored without identifier or URL: the same link as the one read back.
    const target = createRef({ system: 'linear', workspace: 'linear', id: a });
    await store.upsertIssue({
      ...local,
      links: [...local.links, createLink({ type: LinkType.BLOCKS, target })],
      updatedAt: new Date(Date.now() + 60_000),
    });
    await engine.sync();
    expect(fake.operationCount('CreateIssueRelation')).toBe(1);
    expect([...fake.state.relations.values()].some((r) => r.issueId === c && r.relatedIssueId === a)).toBe(
      true,
    );
    const before = mutations(fake);
    for (let round = 0; round < 2; round++) expect((await engine.sync()).stats.pushedUpdated).toBe(0);
    expect(mutations(fake)).toBe(before);
  });

  it('pulls a relation added on Linear after the first pull (incremental, relation-only change)', async () => {
    fake = await startFake();
    const [a, b] = seed(fake, 2).map((issue) => issue.id) as [string, string];
    const connector = connectorFor(fake);
    const store = new InMemoryIssueStore();
    const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
    const engine = new SyncEngine({ connector, store, policy });
    await engine.sync();
    fake.state.addRelation(a, b, 'blocks');
    await engine.sync();
    const byId = new Map(
      (await store.listIssues({ system: 'linear' })).map((issue) => [issue.ref.id, issue]),
    );
    expect(linksOf(byId.get(a)!)).toEqual([['blocks', b]]);
    expect(linksOf(byId.get(b)!)).toEqual([['blocked_by', a]]);
    expect(mutations(fake)).toBe(0);
  });

  it('creates an issue with its links to Linear issues (others are not representable)', async () => {
    fake = await startFake();
    const [a] = seed(fake, 1).map((issue) => issue.id) as [string];
    const connector = connectorFor(fake);
    const ref = createRef({ system: 'linear', workspace: 'linear', id: a });
    const created = await connector.createIssue(
      {
        ...(await connector.getIssue(ref)),
        ref: createRef({ system: 'memory', workspace: 'local', id: 'n1' }),
        title: 'New',
        links: [
          createLink({ type: LinkType.BLOCKED_BY, target: ref }),
          createLink({
            type: LinkType.BLOCKS,
            target: createRef({ system: 'memory', workspace: 'local', id: 'x' }),
          }),
        ],
      },
      { idempotencyKey: 'links-create' },
    );
    expect(linksOf(created)).toEqual([['blocked_by', a]]);
    expect(fake.operationCount('CreateIssueRelation')).toBe(1);
  });
});
