import { createRef, type ExternalRef } from '@spec-kitty/core';
import { createHttpClient } from '@spec-kitty/core/http';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinearConnector } from './linear-connector';
import { API_KEY, connectorFor, startFake } from './test-helpers';

const ENDPOINT = 'POST /graphql';
let fake: LinearFake;

beforeEach(async () => {
  fake = await startFake();
});

afterEach(async () => {
  try {
    fake.server.assertNoViolations();
  } finally {
    await fake.close();
  }
});

function refOf(id: string): ExternalRef {
  return createRef({ system: 'linear', workspace: 'linear', id });
}

describe('LinearConnector deletions, archiving and moves', () => {
  it('declares reportsDeletions', async () => {
    expect((await connectorFor(fake).getCapabilities()).reportsDeletions).toBe(true);
  });

  it('checkGone: one bulk query; archived, trashed, purged and moved refs, live ones omitted', async () => {
    const teamId = fake.state.defaultTeam.id;
    const other = fake.state.addTeam({ key: 'OPS', name: 'Operations' });
    const [live, archived, trashed, purged, moved] = ['live', 'archived', 'trashed', 'purged', 'moved'].map(
      (title) => fake.state.addIssue({ teamId, title }),
    );
    fake.state.archiveIssue(archived!.id);
    fake.state.archiveIssue(trashed!.id, { trash: true });
    fake.state.purgeIssue(purged!.id);
    fake.state.moveIssue(moved!.id, other.id);
    fake.resetCounts();
    const refs = [live, archived, trashed, purged, moved].map((issue) => refOf(issue!.id));
    const tombstones = await connectorFor(fake).checkGone(refs);
    expect(tombstones.map((t) => [t.ref.id, t.reason])).toEqual([
      [archived!.id, 'archived'],
      [trashed!.id, 'deleted'],
      [purged!.id, 'deleted'],
      [moved!.id, 'moved'],
    ]);
    expect(tombstones[3]?.movedTo).toMatchObject({ id: moved!.id, key: 'OPS-1' });
    expect(fake.operationCount('CheckGone')).toBe(1);
  });

  it('listings and writes read archivedAt/trashed alike, so raw payloads of one issue match (no echo pulls)', async () => {
    const teamId = fake.state.defaultTeam.id;
    const issue = fake.state.addIssue({ teamId, title: 'one' });
    const connector = connectorFor(fake);
    const listed = (await connector.listIssues({ updatedSince: null, cursor: null, limit: 5 })).items[0];
    const updated = await connector.updateIssue(refOf(issue.id), { title: 'one' });
    const keys = (raw: unknown) => Object.keys(raw as object).sort();
    expect(keys(updated.raw)).toEqual(keys(listed?.raw));
    expect(keys(updated.raw)).toEqual(expect.arrayContaining(['archivedAt', 'trashed']));
  });

  it('checkGone batches 250 ids per query', async () => {
    const teamId = fake.state.defaultTeam.id;
    const refs = Array.from({ length: 260 }, (_, index) =>
      refOf(fake.state.addIssue({ teamId, title: `i${index}` }).id),
    );
    fake.resetCounts();
    expect(await connectorFor(fake).checkGone(refs)).toEqual([]);
    expect(fake.operationCount('CheckGone')).toBe(2);
  });

  it('an incremental listing includes archived and trashed issues as tombstones, not items', async () => {
    const teamId = fake.state.defaultTeam.id;
    const stays = fake.state.addIssue({ teamId, title: 'stays' });
    const archived = fake.state.addIssue({ teamId, title: 'archived' });
    const trashed = fake.state.addIssue({ teamId, title: 'trashed' });
    const since = fake.state.tick();
    fake.state.archiveIssue(archived.id);
    fake.state.archiveIssue(trashed.id, { trash: true });
    fake.state.touchIssue(stays.id, { title: 'stays, edited' });
    const connector = connectorFor(fake, { overlapMs: 0 });
    const page = await connector.listIssues({ updatedSince: since, cursor: null, limit: 50 });
    expect(page.items.map((issue) => issue.title)).toEqual(['stays, edited']);
    expect(page.tombstones?.map((t) => [t.ref.id, t.reason, t.ref.key])).toEqual([
      [trashed.id, 'deleted', 'ENG-3'],
      [archived.id, 'archived', 'ENG-2'],
    ]);
    // A full scan leaves archived issues out (nothing to retire).
    const full = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(full.items.map((issue) => issue.title)).toEqual(['stays, edited']);
    expect(full.tombstones).toBeUndefined();
  });

  it.each([
    ['401', { kind: 'status', status: 401 }],
    ['403', { kind: 'status', status: 403 }],
    ['500', { kind: 'status', status: 500 }],
    ['reset connection', { kind: 'reset' }],
  ] as const)('checkGone throws on %s instead of reporting a deletion', async (_label, fault) => {
    const issue = fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'one' });
    fake.server.injectFault({ endpoint: ENDPOINT, times: Number.POSITIVE_INFINITY, fault });
    await expect(connectorFor(fake).checkGone([refOf(issue.id)])).rejects.toThrow();
  });

  it('checkGone throws on a rate limit instead of reporting a deletion', async () => {
    const issue = fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'one' });
    fake.rateLimit({ resetInMs: 600_000 });
    await expect(connectorFor(fake).checkGone([refOf(issue.id)])).rejects.toThrow(/rate/i);
  });

  it('checkGone throws on a timeout instead of reporting a deletion', async () => {
    const issue = fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'one' });
    fake.server.injectFault({
      endpoint: ENDPOINT,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'timeout' },
    });
    const http = createHttpClient({
      baseUrl: fake.graphqlUrl,
      provider: 'linear',
      headers: { Authorization: API_KEY, 'Content-Type': 'application/json' },
      timeoutMs: 200,
    });
    const connector = new LinearConnector(
      { apiKey: API_KEY, teamId: fake.state.defaultTeam.id, graphqlUrl: fake.graphqlUrl },
      { http },
    );
    await expect(connector.checkGone([refOf(issue.id)])).rejects.toThrow();
  });
});
