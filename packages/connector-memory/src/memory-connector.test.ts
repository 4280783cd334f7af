import {
  CanonicalIssueType,
  CanonicalStatus,
  ConnectorConfigError,
  ConnectorRequestError,
  createConnector,
  createIssue,
  createLink,
  createRef,
  getConnectorDefinition,
  IssueNotFoundError,
  IssuePayloadContractError,
  LinkType,
  TrackerEventType,
} from '@spec-kitty/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryConnector } from './index';

const T0 = new Date('2026-01-01T00:00:00Z');
let clock = T0.getTime();
const now = () => new Date(clock);

function issue(id: string, overrides: Partial<Parameters<typeof createIssue>[0]> = {}) {
  return createIssue({
    ref: createRef({ system: 'memory', workspace: 'ws', id }),
    title: `Issue ${id}`,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    ...overrides,
  });
}

let connector: InMemoryConnector;
beforeEach(() => {
  clock = T0.getTime();
  connector = new InMemoryConnector({ name: 'memory', workspace: 'ws' }, { now });
});

describe('registration', () => {
  it('registers the "memory" definition on import and builds connectors from config', () => {
    expect(getConnectorDefinition('memory').packageName).toBe('@spec-kitty/connector-memory');
    const created = createConnector('memory', { name: 'mem', workspace: 'w' });
    expect(created.name).toBe('mem');
    expect(() => createConnector('memory', { workspace: ' ' })).toThrow(
      /workspace: workspace must not be empty/,
    );
  });

  it('requires a workspace: no shared fallback between trackers that omit it', () => {
    expect(() => createConnector('memory', { name: 'mem' } as never)).toThrow(
      /Invalid config for connector "memory": workspace: workspace is required/,
    );
    expect(() => createConnector('memory', {} as never)).toThrow(ConnectorConfigError);
    expect(() => new InMemoryConnector({ name: 'mem' } as never)).toThrow(ConnectorConfigError);
    expect(() => new InMemoryConnector({ name: 'mem', workspace: '  ' })).toThrow(
      /workspace: workspace must not be empty/,
    );
    expect(() => createConnector('memory', { workspace: 'w', nmae: 'typo' } as never)).toThrow(
      /nmae: unknown config key/,
    );
    expect(new InMemoryConnector({ name: 'mem', workspace: 'team-a' }).workspace).toBe('team-a');
  });

  it('the constructor validates through the config schema: unknown keys fail, maxPageSize is config', async () => {
    expect(() => new InMemoryConnector({ workspace: 'w', nmae: 'typo' } as never)).toThrow(
      /nmae: unknown config key/,
    );
    expect(() => new InMemoryConnector({ workspace: 'w', maxPageSize: 2.5 })).toThrow(
      /maxPageSize: maxPageSize must be a positive integer/,
    );
    expect(new InMemoryConnector({ workspace: 'w' }).name).toBe('memory');
    const created = createConnector('memory', { workspace: 'w', maxPageSize: 5 });
    expect((await created.getCapabilities()).maxPageSize).toBe(5);
  });
});

describe('InMemoryConnector', () => {
  it('reports every capability except webhooks', async () => {
    const caps = await connector.getCapabilities();
    expect(caps.supportsWebhooks).toBe(false);
    const others = Object.entries(caps).filter(([flag]) => flag !== 'supportsWebhooks');
    expect(others.every(([, value]) => value === true)).toBe(true);
  });

  it('creates with timestamps and a CREATED event, keeping a given createdAt', async () => {
    clock += 1000;
    const created = await connector.createIssue(issue('A', { createdAt: T0 }));
    expect(created.createdAt?.getTime()).toBe(T0.getTime());
    expect(created.updatedAt?.getTime()).toBe(clock);
    const [event] = connector.events();
    expect(event?.eventType).toBe(TrackerEventType.CREATED);
    expect(event?.payload).toEqual({ title: 'Issue A' });
  });

  it('is create-if-absent: identical content returns the existing issue, different content is a 409', async () => {
    const first = await connector.createIssue(issue('A'));
    clock += 5000;
    const again = await connector.createIssue(issue('A'));
    expect(again.updatedAt?.getTime()).toBe(first.updatedAt?.getTime());
    expect(connector.events()).toHaveLength(1);
    const error = await connector
      .createIssue(issue('A', { title: 'Other' }))
      .catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as ConnectorRequestError).message).toBe(
      'issue already exists with different content: memory:ws:A',
    );
    expect((error as ConnectorRequestError).statusCode).toBe(409);
    expect((error as ConnectorRequestError).failureClass).toBe('validation');
  });

  it('rejects unknown patch keys with PK-001 even before checking existence', async () => {
    const error = await connector
      .updateIssue(createRef({ system: 'memory', workspace: 'ws', id: 'missing' }), { severity: 1 } as never)
      .catch((caught: unknown) => caught);
    expect(IssuePayloadContractError.isInstance(error)).toBe(true);
    expect((error as IssuePayloadContractError).message).toBe("Unknown patch key: 'severity'");
    expect((error as IssuePayloadContractError).reason).toBe('PK-001');
    expect((error as IssuePayloadContractError).fieldPath).toBe('severity');
    expect((error as IssuePayloadContractError).kind).toBe('patch');
    expect((error as IssuePayloadContractError).provider).toBe('memory');
  });

  it('logs a patch as its JSON form (nulls kept, refs and maps as plain JSON)', async () => {
    const created = await connector.createIssue(issue('A'));
    const parent = createRef({ system: 'memory', workspace: 'ws', id: 'P' });
    const patch = { body: null, priority: 3, parent, customFields: { points: 2 }, labels: ['x'] };
    await connector.updateIssue(created.ref, patch);
    const logged = connector.events().at(-1)?.payload.patch;
    expect(logged).toStrictEqual(JSON.parse(JSON.stringify(patch)));
  });

  it('updates, bumps updatedAt and logs the patch', async () => {
    const created = await connector.createIssue(issue('A'));
    clock += 1000;
    const updated = await connector.updateIssue(created.ref, { title: 'New', labels: ['x'] });
    expect(updated.title).toBe('New');
    expect(updated.updatedAt?.getTime()).toBe(clock);
    expect(connector.events().at(-1)?.payload).toEqual({ patch: { title: 'New', labels: ['x'] } });
    await expect(
      connector.updateIssue(createRef({ system: 'memory', workspace: 'ws', id: 'nope' }), {}),
    ).rejects.toThrow('Issue not found: memory:ws:nope');
  });

  it('transitions through update and logs TRANSITIONED after UPDATED', async () => {
    const created = await connector.createIssue(issue('A'));
    const done = await connector.transitionIssue(created.ref, CanonicalStatus.DONE);
    expect(done.status).toBe('done');
    expect(connector.events().map((event) => event.eventType)).toEqual([
      'created',
      'updated',
      'transitioned',
    ]);
    expect(connector.events().at(-1)?.payload).toEqual({ status: 'done' });
  });

  it('upserts links once but always logs LINK_UPSERTED', async () => {
    const created = await connector.createIssue(issue('A'));
    const link = createLink({
      type: LinkType.BLOCKS,
      target: createRef({ system: 'memory', workspace: 'ws', id: 'B' }),
    });
    await connector.upsertLink(created.ref, link);
    await connector.upsertLink(created.ref, link);
    expect((await connector.getIssue(created.ref)).links).toHaveLength(1);
    const linkEvents = connector.events().filter((event) => event.eventType === 'link_upserted');
    expect(linkEvents).toHaveLength(2);
    expect(linkEvents[0]?.payload).toEqual({ type: 'blocks', target: 'memory:ws:B' });
  });

  it('appends comments into customFields.comments, replacing a non-list value', async () => {
    const created = await connector.createIssue(issue('A', { customFields: { comments: 'not a list' } }));
    await connector.addComment(created.ref, 'first');
    await connector.addComment(created.ref, 'second');
    expect((await connector.getIssue(created.ref)).customFields.comments).toEqual(['first', 'second']);
    await expect(
      connector.addComment(createRef({ system: 'memory', workspace: 'ws', id: 'x' }), 'c'),
    ).rejects.toSatisfy((error: unknown) => IssueNotFoundError.isInstance(error));
  });

  it('pages by offset over the unfiltered, identity-sorted list and filters after slicing', async () => {
    for (const id of ['I-2', 'I-10', 'I-1']) {
      clock += 1000;
      await connector.createIssue(issue(id));
    }
    const first = await connector.listIssues({ updatedSince: null, cursor: null, limit: 2 });
    expect(first.items.map((item) => item.ref.id)).toEqual(['I-1', 'I-10']);
    expect(first.nextCursor).toBe('2');
    const last = await connector.listIssues({ updatedSince: null, cursor: '2', limit: 2 });
    expect(last.items.map((item) => item.ref.id)).toEqual(['I-2']);
    expect(last.nextCursor).toBeNull();
    // I-2 was created first (oldest); filtering after slicing gives an empty page with a next cursor.
    const filtered = await connector.listIssues({
      updatedSince: new Date(T0.getTime() + 2000),
      cursor: null,
      limit: 1,
    });
    expect(filtered.items.map((item) => item.ref.id)).toEqual(['I-1']);
    const empty = await connector.listIssues({
      updatedSince: new Date(T0.getTime() + 3500),
      cursor: null,
      limit: 2,
    });
    expect(empty.items).toEqual([]);
    expect(empty.nextCursor).toBe('2');
    const beyond = await connector.listIssues({ updatedSince: null, cursor: '99', limit: 2 });
    expect(beyond).toEqual({ items: [], nextCursor: null });
  });

  it('parses cursors like Python int() and rejects malformed ones as 400 validation errors', async () => {
    for (let index = 0; index < 25; index++)
      await connector.createIssue(issue(`X-${String(index).padStart(2, '0')}`));
    expect((await connector.listIssues({ updatedSince: null, cursor: ' 2 ', limit: 1 })).nextCursor).toBe(
      '3',
    );
    expect((await connector.listIssues({ updatedSince: null, cursor: '2_0', limit: 1 })).nextCursor).toBe(
      '21',
    );
    expect((await connector.listIssues({ updatedSince: null, cursor: '+01', limit: 1 })).nextCursor).toBe(
      '2',
    );
    for (const bad of ['x', '-1', '1.5', '_1', '']) {
      const error = await connector
        .listIssues({ updatedSince: null, cursor: bad, limit: 1 })
        .catch((caught: unknown) => caught);
      expect(ConnectorRequestError.isInstance(error), bad).toBe(true);
      expect((error as ConnectorRequestError).statusCode).toBe(400);
      expect((error as ConnectorRequestError).isRetryable).toBe(false);
    }
    const error = await connector
      .listIssues({ updatedSince: null, cursor: 'x', limit: 1 })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe("malformed cursor: 'x'");
  });

  it('returns immutable issues: a caller cannot change the stored copy', async () => {
    const created = await connector.createIssue(issue('A', { labels: ['a'] }));
    expect(() => (created.labels as string[]).push('b')).toThrow(TypeError);
    expect((await connector.getIssue(created.ref)).labels).toEqual(['a']);
  });

  it('lists events by offset and always returns a checkpoint', async () => {
    for (const id of ['A', 'B', 'C']) await connector.createIssue(issue(id));
    const first = await connector.listEvents({ cursor: null, limit: 2 });
    expect(first.events).toHaveLength(2);
    expect(first.checkpoint).toEqual({ cursor: '2', updatedSince: null });
    const second = await connector.listEvents({ cursor: first.checkpoint, limit: 2 });
    expect(second.events.map((event) => event.payload.title)).toEqual(['Issue C']);
    expect(second.checkpoint).toEqual({ cursor: null, updatedSince: null });
  });
});
