import { execFileSync } from 'node:child_process';
import { type DraftIssueInit, draftIssue } from '@spec-kitty/connector-testkit';
import {
  CanonicalIssueType,
  CanonicalStatus,
  CapabilityNotSupportedError,
  type CommandRunner,
  type CommandRunOptions,
  ConnectorConfigError,
  ConnectorRequestError,
  createConnector,
  createLink,
  createLocalExecutionContext,
  createRef,
  getConnectorDefinition,
  IssueNotFoundError,
  type IssuePatch,
  IssuePayloadContractError,
  LinkType,
} from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import {
  createBeadsWorkspace,
  createFakeCliBinDir,
  type FakeWorkspace,
  fakeCliEnv,
  fakeCliPaths,
} from '@spec-kitty/fake-trackers/cli';
import { beforeEach, describe, expect, it } from 'vitest';
import { BeadsConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

function connectorFor(ws: FakeWorkspace, extraEnv: Record<string, string> = {}, timeoutMs = 30_000) {
  const runner = new SubprocessCommandRunner({ env: { ...env, ...extraEnv }, timeoutMs, provider: 'beads' });
  return new BeadsConnector({ cwd: ws.dir, workspace: 'repo' }, { runner });
}

// The issue most tests create; any field can be overridden.
const draft = (overrides: DraftIssueInit = {}) =>
  draftIssue({
    ref: { system: 'beads', workspace: 'repo', id: 'draft' },
    title: 'Build auth',
    body: 'Body text',
    issueType: CanonicalIssueType.STORY,
    priority: 1,
    labels: ['backend', 'auth'],
    ...overrides,
  });

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('BeadsConnector against the fake bd', () => {
  let ws: FakeWorkspace;
  let connector: BeadsConnector;

  beforeEach(() => {
    ws = createBeadsWorkspace({ prefix: 'sk' });
    connector = connectorFor(ws);
  });

  it('creates with the original argv and maps the issue back', async () => {
    const created = await connector.createIssue(draft());
    const argvs = ws.calls().map((call) => call.argv);
    expect(argvs[0]).toEqual([
      '--json',
      'create',
      'Build auth',
      '--type',
      'feature',
      '--priority',
      '1',
      '--description',
      'Body text',
      '--label',
      'backend',
      '--label',
      'auth',
    ]);
    expect(argvs[1]).toEqual(['--json', 'show', created.ref.id]);
    expect(argvs).toHaveLength(2);
    expect(created).toMatchObject({
      title: 'Build auth',
      body: 'Body text',
      status: 'todo',
      issueType: 'story',
      priority: 1,
      labels: ['backend', 'auth'],
      assignees: [],
    });
    expect(created.ref).toEqual({
      system: 'beads',
      workspace: 'repo',
      id: created.ref.id,
      key: created.ref.id,
      url: null,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.raw).toMatchObject({ id: created.ref.id });
  });

  it('never passes --assignee on create and defaults priority to 2', async () => {
    await connector.createIssue(draft({ assignees: ['alice'], priority: null, body: null, labels: [] }));
    expect(ws.calls()[0]?.argv).toEqual([
      '--json',
      'create',
      'Build auth',
      '--type',
      'feature',
      '--priority',
      '2',
    ]);
  });

  it('passes titles, bodies and comments with quotes, newlines and leading dashes verbatim', async () => {
    const title = `--help "quoted" 'single' $(rm -rf /) ; echo`;
    const body = 'line one\nline two\n--not-a-flag';
    const created = await connector.createIssue(draft({ title, body }));
    expect(created.title).toBe(title);
    expect(created.body).toBe(body);
    await connector.addComment(created.ref, '-starts with a dash\nand "quotes"');
    const state = ws.readState() as { comments: { text: string }[] };
    expect(state.comments[0]?.text).toBe('-starts with a dash\nand "quotes"');
  });

  it('creates with parent and applies blocked/in_review via a transition', async () => {
    const parent = await connector.createIssue(draft({ title: 'Epic', issueType: CanonicalIssueType.EPIC }));
    ws.clearCalls();
    const child = await connector.createIssue(
      draft({ title: 'Child', parent: parent.ref, status: CanonicalStatus.BLOCKED, labels: [] }),
    );
    const argvs = ws.calls().map((call) => call.argv);
    expect(argvs[0]).toContain('--parent');
    expect(argvs[1]).toEqual(['--json', 'update', child.ref.id, '--status', 'blocked']);
    expect(child.status).toBe('blocked');
    expect(child.parent?.id).toBe(parent.ref.id);
    expect(child.links).toEqual([
      createLink({
        type: LinkType.CHILD_OF,
        target: createRef({ system: 'beads', workspace: 'repo', id: parent.ref.id }),
      }),
    ]);
    const review = await connector.createIssue(draft({ status: CanonicalStatus.IN_REVIEW, labels: [] }));
    expect(review.status).toBe('in_progress');
  });

  it('refuses done/canceled at create before running anything (better than the original)', async () => {
    const error = await caught(connector.createIssue(draft({ status: CanonicalStatus.DONE })));
    expect(CapabilityNotSupportedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('beads: terminal transition is host-owned');
    expect(ws.calls()).toEqual([]);
  });

  it('updates with the original flag order and re-reads', async () => {
    const created = await connector.createIssue(draft());
    ws.clearCalls();
    const updated = await connector.updateIssue(created.ref, {
      labels: ['x', 'y'],
      body: null,
      title: 'Renamed',
      priority: 3,
      status: CanonicalStatus.IN_PROGRESS,
      issueType: CanonicalIssueType.BUG,
      parent: null,
    });
    expect(ws.calls()[0]?.argv).toEqual([
      '--json',
      'update',
      created.ref.id,
      '--status',
      'in_progress',
      '--priority',
      '3',
      '--title',
      'Renamed',
      '--description',
      '',
      '--type',
      'bug',
      '--set-labels',
      'x',
      '--set-labels',
      'y',
      '--parent',
      '',
    ]);
    expect(updated).toMatchObject({
      title: 'Renamed',
      status: 'in_progress',
      priority: 3,
      issueType: 'bug',
      labels: ['x', 'y'],
      body: null,
    });
  });

  it('an empty patch only re-reads', async () => {
    const created = await connector.createIssue(draft());
    ws.clearCalls();
    await connector.updateIssue(created.ref, {});
    expect(ws.calls().map((c) => c.argv)).toEqual([['--json', 'show', created.ref.id]]);
  });

  it('denies host-owned and read-only fields and PK-001 before any command', async () => {
    const created = await connector.createIssue(draft());
    ws.clearCalls();
    const cases: [IssuePatch, string][] = [
      [{ assignees: ['a'] }, 'beads: assignment is host-owned'],
      [{ customFields: { a: 1 } }, 'beads: custom_fields is read-only'],
      [{ links: [] }, 'beads: links is read-only'],
      [{ status: CanonicalStatus.DONE, title: 'x' }, 'beads: terminal transition is host-owned'],
      [{ status: CanonicalStatus.CANCELED }, 'beads: terminal transition is host-owned'],
    ];
    for (const [patch, message] of cases) {
      const error = await caught(connector.updateIssue(created.ref, patch));
      expect(CapabilityNotSupportedError.isInstance(error), message).toBe(true);
      expect((error as Error).message).toBe(message);
    }
    const terminal = await caught(connector.transitionIssue(created.ref, CanonicalStatus.DONE));
    expect((terminal as CapabilityNotSupportedError).capability).toBe('status');
    const unknown = await caught(
      connector.updateIssue(created.ref, { title: 'x', severity: 1 } as unknown as IssuePatch),
    );
    expect(IssuePayloadContractError.isInstance(unknown)).toBe(true);
    expect(unknown).toMatchObject({
      reason: 'PK-001',
      fieldPath: 'severity',
      provider: 'beads',
      message: "Unknown patch key: 'severity'",
    });
    const labels = await caught(
      connector.updateIssue(created.ref, { labels: 'abc' } as unknown as IssuePatch),
    );
    expect((labels as Error).message).toBe('labels patch must be a sequence');
    const parent = await caught(connector.updateIssue(created.ref, { parent: 'x' } as unknown as IssuePatch));
    expect((parent as Error).message).toBe('parent patch must be ExternalRef or None');
    expect(ws.calls()).toEqual([]);
  });

  it('maps links to bd dep add exactly like the original', async () => {
    const a = await connector.createIssue(draft({ title: 'A', labels: [] }));
    const b = await connector.createIssue(draft({ title: 'B', labels: [] }));
    ws.clearCalls();
    const expectations: [LinkType, string[]][] = [
      [LinkType.BLOCKS, [b.ref.id, a.ref.id, '--type', 'blocks']],
      [LinkType.BLOCKED_BY, [a.ref.id, b.ref.id, '--type', 'blocks']],
      [LinkType.RELATES_TO, [a.ref.id, b.ref.id, '--type', 'related']],
      [LinkType.DUPLICATES, [a.ref.id, b.ref.id, '--type', 'related']],
      [LinkType.CHILD_OF, [a.ref.id, b.ref.id, '--type', 'parent-child']],
      [LinkType.PARENT_OF, [b.ref.id, a.ref.id, '--type', 'parent-child']],
    ];
    for (const [type, tail] of expectations) {
      ws.clearCalls();
      await connector.upsertLink(a.ref, createLink({ type, target: b.ref }));
      expect(ws.calls()[0]?.argv).toEqual(['--json', 'dep', 'add', ...tail]);
    }
  });

  it('reads links and comments back', async () => {
    const a = await connector.createIssue(draft({ title: 'A', labels: [] }));
    const b = await connector.createIssue(draft({ title: 'B', labels: [] }));
    await connector.upsertLink(a.ref, createLink({ type: LinkType.BLOCKED_BY, target: b.ref }));
    await connector.addComment(a.ref, 'hello');
    expect(ws.calls().at(-1)?.argv).toEqual(['--json', 'comments', 'add', a.ref.id, 'hello']);
    const loaded = await connector.getIssue(a.ref);
    expect(loaded.links.map((l) => [l.type, l.target.id])).toEqual([[LinkType.BLOCKED_BY, b.ref.id]]);
  });

  it('lists every issue, closed ones included, with offset cursors', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await connector.createIssue(draft({ title: `T${i}`, labels: [] }))).ref.id);
    // close one behind the connector's back (the connector itself may not)
    const state = ws.readState() as { issues: Record<string, { status: string }> };
    state.issues[ids[0]!]!.status = 'closed';
    ws.writeState(state);
    ws.clearCalls();
    const first = await connector.listIssues({ updatedSince: null, cursor: null, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe('2');
    const second = await connector.listIssues({ updatedSince: null, cursor: '2', limit: 2 });
    const third = await connector.listIssues({ updatedSince: null, cursor: second.nextCursor, limit: 2 });
    expect(third.nextCursor).toBeNull();
    // one bd process for the whole pagination
    expect(ws.calls().map((c) => c.argv)).toEqual([
      ['--json', 'list', '--all', '--sort', 'id', '--limit', '0'],
    ]);
    const all = [...first.items, ...second.items, ...third.items];
    expect(all.map((i) => i.ref.id).sort()).toEqual([...ids].sort());
    expect(all.find((i) => i.ref.id === ids[0])?.status).toBe('done');

    // a cursor this instance did not hand out (e.g. after a restart) re-runs bd, bounded
    ws.clearCalls();
    const resumed = await connectorFor(ws).listIssues({ updatedSince: null, cursor: '2', limit: 2 });
    expect(ws.calls().map((c) => c.argv)).toEqual([
      ['--json', 'list', '--all', '--sort', 'id', '--limit', '5'],
    ]);
    expect(resumed.items.map((i) => i.ref.id)).toEqual(second.items.map((i) => i.ref.id));
    expect(resumed.nextCursor).toBe('4');
    await expect(connector.listIssues({ updatedSince: null, cursor: 'abc', limit: 2 })).rejects.toThrow(
      /malformed cursor/,
    );
  });

  it('passes list filters like the original', async () => {
    await connector.listIssues({
      updatedSince: new Date('2026-03-05T10:00:00Z'),
      cursor: null,
      limit: 10,
      filters: { status: CanonicalStatus.IN_REVIEW, title_contains: 'auth', assignee: 'alice' },
    });
    await connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 10,
      filters: { status: 'deferred' },
    });
    expect(ws.calls().map((c) => c.argv)).toEqual([
      [
        '--json',
        'list',
        '--updated-after',
        '2026-03-04',
        '--status',
        'in_progress',
        '--title-contains',
        'auth',
        '--assignee',
        'alice',
        '--sort',
        'id',
        '--limit',
        '0',
      ],
      ['--json', 'list', '--status', 'deferred', '--sort', 'id', '--limit', '0'],
    ]);
  });

  it('applies updatedSince exactly', async () => {
    const created = await connector.createIssue(draft());
    const before = new Date(created.updatedAt!.getTime() - 1);
    const after = new Date(created.updatedAt!.getTime() + 1);
    expect(
      (await connector.listIssues({ updatedSince: before, cursor: null, limit: 10 })).items,
    ).toHaveLength(1);
    expect((await connector.listIssues({ updatedSince: after, cursor: null, limit: 10 })).items).toHaveLength(
      0,
    );
  });

  it('turns bd "not found" into IssueNotFoundError for reads and writes', async () => {
    const missing = createRef({ system: 'beads', workspace: 'repo', id: 'sk-zzzz' });
    for (const attempt of [
      () => connector.getIssue(missing),
      () => connector.updateIssue(missing, { title: 'x' }),
      () => connector.transitionIssue(missing, CanonicalStatus.BLOCKED),
      () => connector.addComment(missing, 'hello'),
    ]) {
      const error = await caught(attempt());
      expect(IssueNotFoundError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toBe('Beads issue not found: sk-zzzz');
    }
    const existing = await connector.createIssue(draft({ labels: [] }));
    const depError = await caught(
      connector.upsertLink(existing.ref, createLink({ type: LinkType.BLOCKED_BY, target: missing })),
    );
    expect(ConnectorRequestError.isInstance(depError)).toBe(true);
    expect((depError as Error).message).toContain('sk-zzzz');
  });

  it('never returns a different issue that bd resolved from a partial id', async () => {
    const created = await connector.createIssue(draft({ labels: [] }));
    const partial = createRef({ system: 'beads', workspace: 'repo', id: created.ref.id.slice(0, -1) });
    const error = await caught(connector.getIssue(partial));
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `Beads issue not found: ${partial.id} (bd resolved it to a different issue, ${created.ref.id})`,
    );
  });

  it('reads envelope-mode output (BD_JSON_ENVELOPE=1)', async () => {
    const enveloped = connectorFor(ws, { BD_JSON_ENVELOPE: '1' });
    const created = await enveloped.createIssue(draft());
    expect(created.title).toBe('Build auth');
    expect((await enveloped.listIssues({ updatedSince: null, cursor: null, limit: 5 })).items).toHaveLength(
      1,
    );
  });

  it("maps every one of bd's built-in statuses, hooked included, on show and list", async () => {
    const created = await connector.createIssue(draft({ labels: [] }));
    const expected: Record<string, string> = {
      open: 'todo',
      in_progress: 'in_progress',
      blocked: 'blocked',
      deferred: 'todo',
      closed: 'done',
      pinned: 'in_progress',
      hooked: 'in_progress',
    };
    for (const [status, canonical] of Object.entries(expected)) {
      execFileSync('bd', ['update', created.ref.id, '--status', status], {
        cwd: ws.dir,
        env: { ...process.env, ...env },
      });
      expect((await connector.getIssue(created.ref)).status).toBe(canonical);
      const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
      expect(page.items.map((issue) => issue.status)).toEqual([canonical]);
    }
    // bd 1.x no longer has `tombstone` (older bd's deleted issues); it still reads as canceled.
    const state = ws.readState() as { issues: Record<string, Record<string, unknown>> };
    state.issues[created.ref.id]!.status = 'tombstone';
    ws.writeState(state);
    expect((await connector.getIssue(created.ref)).status).toBe('canceled');
  });

  it('marks a create with its idempotency key in external_ref and finds it again', async () => {
    const key = 'sync:create:local:repo:draft-1';
    expect(await connector.findCreatedIssue(draft(), { idempotencyKey: key })).toBeNull();
    ws.clearCalls();
    const created = await connector.createIssue(draft(), { idempotencyKey: key });
    expect(ws.calls()[0]?.argv.slice(-2)).toEqual(['--external-ref', `spec-kitty:${key}`]);
    // The marker is bookkeeping, not a link: it never becomes ref.url.
    expect(created.ref.url).toBeNull();
    expect(
      (ws.readState() as { issues: Record<string, { external_ref?: string }> }).issues[created.ref.id],
    ).toMatchObject({ external_ref: `spec-kitty:${key}` });

    ws.clearCalls();
    const found = await connector.findCreatedIssue(draft(), { idempotencyKey: key });
    expect(found).toEqual(created);
    expect(ws.calls().map((call) => call.argv)).toEqual([
      ['--json', 'list', '--external-ref', `spec-kitty:${key}`, '--all', '--sort', 'id', '--limit', '0'],
      ['--json', 'show', created.ref.id],
    ]);
    // Another key, no key, and an issue closed since: exact matches only, closed ones included.
    expect(await connector.findCreatedIssue(draft(), { idempotencyKey: `${key}x` })).toBeNull();
    expect(await connector.findCreatedIssue(draft(), {})).toBeNull();
    execFileSync('bd', ['close', created.ref.id], { cwd: ws.dir, env: { ...process.env, ...env } });
    expect((await connector.findCreatedIssue(draft(), { idempotencyKey: key }))?.ref.id).toBe(created.ref.id);
    // A user's own external_ref still reads as the ref's url.
    execFileSync('bd', ['update', created.ref.id, '--external-ref', 'https://example.test/1'], {
      cwd: ws.dir,
      env: { ...process.env, ...env },
    });
    expect((await connector.getIssue(created.ref)).ref.url).toBe('https://example.test/1');
  });

  it('finishes a create that was interrupted before its status transition', async () => {
    const key = 'sync:create:local:repo:draft-2';
    const wanted = draft({ status: CanonicalStatus.BLOCKED, labels: [] });
    ws.armFaults([{ kind: 'crash', arg: 1, match: 'update', times: 1 }]);
    await expect(connector.createIssue(wanted, { idempotencyKey: key })).rejects.toThrow(/Command failed/);
    const state = () => ws.readState() as { issues: Record<string, { status: string }> };
    const [id] = Object.keys(state().issues);
    expect(state().issues[id!]?.status).toBe('open');

    const found = await connector.findCreatedIssue(wanted, { idempotencyKey: key });
    expect(found).toMatchObject({ ref: { id }, status: 'blocked' });
    expect(state().issues[id!]?.status).toBe('blocked');
    // A todo issue, or one already past `open`, is returned as it is.
    ws.clearCalls();
    expect(
      (
        await connector.findCreatedIssue(draft({ status: CanonicalStatus.IN_PROGRESS }), {
          idempotencyKey: key,
        })
      )?.status,
    ).toBe('blocked');
    expect(ws.calls().some((call) => call.argv.includes('update'))).toBe(false);
  });

  it('keeps a marker for a very long key short enough for bd (its SHA-256)', async () => {
    const key = `sync:create:local:repo:${'x'.repeat(300)}`;
    const created = await connector.createIssue(draft({ labels: [] }), { idempotencyKey: key });
    const marker = (ws.readState() as { issues: Record<string, { external_ref: string }> }).issues[
      created.ref.id
    ]!.external_ref;
    expect(marker).toMatch(/^spec-kitty:sha256:[0-9a-f]{64}$/);
    expect((await connector.findCreatedIssue(draft(), { idempotencyKey: key }))?.ref.id).toBe(created.ref.id);
    expect(await connector.findCreatedIssue(draft(), { idempotencyKey: `${key}y` })).toBeNull();
  });

  it('finds created issues with a full list on a bd without list --external-ref', async () => {
    const inner = new SubprocessCommandRunner({ env, timeoutMs: 30_000, provider: 'beads' });
    const seen: string[][] = [];
    // An older bd: cobra refuses the flag it does not know, exactly as the real runner reports it.
    const olderBd: CommandRunner = {
      run: async (argv: readonly string[], options: CommandRunOptions) => {
        seen.push([...argv]);
        if (argv.includes('list') && argv.includes('--external-ref')) {
          throw new ConnectorRequestError(
            `Command failed: ${argv.join(' ')} :: Error: unknown flag: --external-ref\nUsage:\n  bd list [flags]`,
            { provider: 'beads' },
          );
        }
        return inner.run(argv, options);
      },
    };
    const older = new BeadsConnector({ cwd: ws.dir, workspace: 'repo' }, { runner: olderBd });
    const key = 'sync:create:local:repo:old';
    const created = await older.createIssue(draft(), { idempotencyKey: key });
    await older.createIssue(draft({ title: 'Other' }), { idempotencyKey: `${key}-other` });
    seen.length = 0;
    expect((await older.findCreatedIssue(draft(), { idempotencyKey: key }))?.ref.id).toBe(created.ref.id);
    expect(await older.findCreatedIssue(draft(), { idempotencyKey: `${key}-none` })).toBeNull();
    expect(seen.map((argv) => argv.slice(1, 4).join(' '))).toEqual([
      '--json list --external-ref',
      '--json list --all',
      '--json show ' + created.ref.id,
      // Remembered: the second lookup goes straight to the full list.
      '--json list --all',
    ]);
    // Any other failure is not taken for an older bd.
    const broken = connectorFor(ws, { FAKE_BD_FAULT: 'crash:1@list' });
    await expect(broken.findCreatedIssue(draft(), { idempotencyKey: key })).rejects.toThrow(/Command failed/);
  });

  it('fails closed on payloads it does not understand (BD-000…BD-005)', async () => {
    const created = await connector.createIssue(draft({ labels: [] }));
    const garbage = connectorFor(ws, { FAKE_BD_FAULT: 'garbage@show' });
    const bd000 = await caught(garbage.getIssue(created.ref));
    expect(bd000).toMatchObject({ reason: 'BD-000', kind: 'issue' });
    expect((bd000 as Error).message).toMatch(/^Invalid JSON from bd: /);

    const plant = (mutate: (issue: Record<string, unknown>) => void) => {
      const state = ws.readState() as { issues: Record<string, Record<string, unknown>>; deps: unknown[] };
      mutate(state.issues[created.ref.id]!);
      ws.writeState(state);
    };
    plant((issue) => {
      issue.status = 'review';
    });
    const bd003 = await caught(connector.getIssue(created.ref));
    expect(bd003).toMatchObject({ reason: 'BD-003', fieldPath: 'status' });
    expect((bd003 as Error).message).toBe(
      "Unknown Beads status: 'review' (known: open, in_progress, blocked, deferred, closed, pinned, " +
        "hooked, tombstone; a custom status from bd's status.custom config has no canonical meaning: " +
        'move the issue to a known status)',
    );
    plant((issue) => {
      issue.status = 'open';
      issue.issue_type = 'molecule';
    });
    expect(await caught(connector.getIssue(created.ref))).toMatchObject({
      reason: 'BD-004',
      fieldPath: 'issue_type',
    });
    plant((issue) => {
      issue.issue_type = 'task';
      issue.title = '   ';
    });
    expect(await caught(connector.getIssue(created.ref))).toMatchObject({
      reason: 'BD-002',
      message: 'Beads issue payload missing a non-empty title',
    });
    const state = ws.readState() as {
      issues: Record<string, Record<string, unknown>>;
      deps: Record<string, unknown>[];
    };
    state.issues[created.ref.id]!.title = 'ok';
    state.deps.push({
      issue_id: created.ref.id,
      depends_on_id: created.ref.id,
      type: 'waits-for',
      created_at: 'x',
    });
    ws.writeState(state);
    expect(await caught(connector.listIssues({ updatedSince: null, cursor: null, limit: 5 }))).toMatchObject({
      reason: 'BD-005',
      fieldPath: 'dependencies[].dependency_type',
      message: "Unknown Beads dependency_type: 'waits-for'",
    });
  });

  it('reads output larger than 1 MB (no buffer limit)', async () => {
    const created = await connector.createIssue(draft({ labels: [] }));
    const state = ws.readState() as { issues: Record<string, Record<string, unknown>> };
    state.issues[created.ref.id]!.description = 'é'.repeat(1_500_000);
    ws.writeState(state);
    expect((await connector.getIssue(created.ref)).body).toHaveLength(1_500_000);
    const padded = connectorFor(ws, { FAKE_BD_FAULT: 'huge:3000000' });
    expect(
      (await padded.listIssues({ updatedSince: null, cursor: null, limit: 5 })).items[0]?.body,
    ).toHaveLength(1_500_000);
  });

  it('reports a body too large for one argv entry clearly, without running bd', async () => {
    const error = await caught(connector.createIssue(draft({ body: 'x'.repeat(200_000) })));
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('argument list too long (E2BIG');
    expect(ws.calls()).toEqual([]);
  });

  it('turns a slow bd into a transient "Command timed out"', async () => {
    const slow = connectorFor(ws, { FAKE_BD_FAULT: 'slow:5000' }, 300);
    const error = await caught(slow.listIssues({ updatedSince: null, cursor: null, limit: 5 }));
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as ConnectorRequestError).message).toMatch(/^Command timed out: bd --json list --all/);
    expect((error as ConnectorRequestError).failureClass).toBe('transient');
  });

  it('turns a crash into "Command failed: <argv> :: <stderr>"', async () => {
    const crashing = connectorFor(ws, { FAKE_BD_FAULT: 'crash:2' });
    const error = await caught(crashing.listIssues({ updatedSince: null, cursor: null, limit: 5 }));
    expect((error as Error).message).toMatch(
      /^Command failed: bd --json list --all --sort id --limit 0 :: panic: /,
    );
    expect((error as ConnectorRequestError).failureClass).toBe('non_retryable');
  });

  it('explains a missing bd executable', async () => {
    const missing = new BeadsConnector(
      { cwd: ws.dir, command: 'bd-not-installed' },
      { runner: new SubprocessCommandRunner({ env }) },
    );
    const error = await caught(missing.listIssues({ updatedSince: null, cursor: null, limit: 5 }));
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Executable not found: bd-not-installed');
    expect((error as Error).message).toContain('"command" option');
  });

  it('works with the default runner (createConnector, no runtime) and honours an AbortSignal', async () => {
    const beads = createConnector('beads', { cwd: ws.dir, command: fakeCliPaths().bd, timeoutMs: 20_000 });
    const created = await beads.createIssue(draft({ labels: [] }));
    expect((await beads.getIssue(created.ref)).title).toBe('Build auth');
    ws.armFaults([{ kind: 'slow', arg: 10_000, match: 'list' }]);
    const controller = new AbortController();
    const started = Date.now();
    const pending = beads.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 5,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('sync cancelled')), 200);
    await expect(pending).rejects.toThrow('sync cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('survives concurrent commands (no lost writes in the fake, no crosstalk in the runner)', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        connector.createIssue(draft({ title: `Parallel ${i}`, labels: [] })),
      ),
    );
    expect(new Set(created.map((issue) => issue.ref.id)).size).toBe(8);
    expect(created.map((issue) => issue.title).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `Parallel ${i}`),
    );
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 50 });
    expect(page.items).toHaveLength(8);
  });

  it('lists no events', async () => {
    expect(await connector.listEvents()).toEqual({ events: [], checkpoint: null });
  });
});

describe('BeadsConnector configuration and runner rules', () => {
  const context = createLocalExecutionContext({ actor: 'agent-1', repository: 'acme/repo' });

  class RecordingRunner implements CommandRunner {
    readonly calls: { argv: readonly string[]; options: CommandRunOptions | undefined }[] = [];
    constructor(private readonly stdout: string) {}
    async run(argv: readonly string[], options?: CommandRunOptions): Promise<string> {
      this.calls.push({ argv, options });
      return this.stdout;
    }
  }

  it('fails closed when a context is set without a runner (original message)', () => {
    expect(() => new BeadsConnector({ context })).toThrow(ConnectorConfigError);
    expect(() => new BeadsConnector({ context })).toThrow(
      'BeadsConnectorConfig.context is set but no runner was supplied; a scoped context requires an explicit runner (e.g. a gateway-backed runner), never the default direct-subprocess runner.',
    );
  });

  it('passes context to the runner only when configured', async () => {
    const payload = JSON.stringify([{ id: 'bd-1', title: 'T', status: 'open', priority: 2 }]);
    const plain = new RecordingRunner(payload);
    await new BeadsConnector({ cwd: '/repo' }, { runner: plain }).getIssue(
      createRef({ system: 'beads', workspace: 'beads', id: 'bd-1' }),
    );
    expect(plain.calls[0]?.options).toEqual({ cwd: '/repo' });
    expect(plain.calls[0]?.argv).toEqual(['bd', '--json', 'show', 'bd-1']);
    const scoped = new RecordingRunner(payload);
    await new BeadsConnector({ context }, { runner: scoped }).getIssue(
      createRef({ system: 'beads', workspace: 'beads', id: 'bd-1' }),
    );
    expect(scoped.calls[0]?.options).toEqual({ cwd: null, context });
  });

  it('reads the wrapper form {issue, dependencies, comments} of show', async () => {
    const runner = new RecordingRunner(
      JSON.stringify({
        issue: { id: 'bd-1', title: 'T', status: 'in_progress', issue_type: 'decision', priority: 9 },
        dependencies: [{ depends_on_id: 'bd-2', type: 'related' }],
        comments: [{ text: 'c' }],
      }),
    );
    const issue = await new BeadsConnector({}, { runner }).getIssue(
      createRef({ system: 'beads', workspace: 'beads', id: 'bd-1' }),
    );
    expect(issue).toMatchObject({
      status: 'in_progress',
      issueType: 'chore',
      priority: 4,
      customFields: { comments: [{ text: 'c' }] },
    });
    expect(issue.links.map((l) => [l.type, l.target.id])).toEqual([[LinkType.RELATES_TO, 'bd-2']]);
    expect(issue.raw).toHaveProperty('details');
  });

  it('empty show output is BD-001 and a non-object list entry is not found', async () => {
    const ref = createRef({ system: 'beads', workspace: 'beads', id: 'bd-1' });
    expect(
      await caught(new BeadsConnector({}, { runner: new RecordingRunner('') }).getIssue(ref)),
    ).toMatchObject({ reason: 'BD-001' });
    expect(
      IssueNotFoundError.isInstance(
        await caught(new BeadsConnector({}, { runner: new RecordingRunner('[]') }).getIssue(ref)),
      ),
    ).toBe(true);
  });

  it('cannot find the created id → ConnectorRequestError', async () => {
    const error = await caught(
      new BeadsConnector({}, { runner: new RecordingRunner('{}') }).createIssue(draft()),
    );
    expect((error as Error).message).toBe('Unable to determine issue id from beads response');
  });

  it('registers on import as a local connector with a validated config', () => {
    const definition = getConnectorDefinition('beads');
    expect(definition).toMatchObject({
      id: 'beads',
      mode: 'local',
      packageName: '@spec-kitty/connector-beads',
    });
    const connector = createConnector('beads', { command: '/opt/bd', workspace: 'w' });
    expect(connector).toBeInstanceOf(BeadsConnector);
    expect((connector as BeadsConnector).config).toEqual({
      workspace: 'w',
      command: '/opt/bd',
      cwd: null,
      context: null,
      timeoutMs: 30_000,
    });
    expect(() => createConnector('beads', { command: '' })).toThrow(ConnectorConfigError);
    expect(() => createConnector('beads', { bogus: 1 } as never)).toThrow(ConnectorConfigError);
    expect(() => createConnector('beads', { context })).toThrow(/no runner was supplied/);
    expect(createConnector('beads', { context }, { runner: new RecordingRunner('[]') })).toBeInstanceOf(
      BeadsConnector,
    );
  });
});
