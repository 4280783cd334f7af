import { type DraftIssueInit, draftIssue } from '@spec-kitty/connector-testkit';
import {
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
  createFakeCliBinDir,
  createFpWorkspace,
  type FakeWorkspace,
  fakeCliEnv,
  fakeCliPaths,
} from '@spec-kitty/fake-trackers/cli';
import { beforeEach, describe, expect, it } from 'vitest';
import { FPConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

function connectorFor(ws: FakeWorkspace, extraEnv: Record<string, string> = {}, timeoutMs = 30_000) {
  const runner = new SubprocessCommandRunner({ env: { ...env, ...extraEnv }, timeoutMs, provider: 'fp' });
  return new FPConnector({ cwd: ws.dir, workspace: 'repo' }, { runner });
}

// The issue most tests create; any field can be overridden.
const draft = (overrides: DraftIssueInit = {}) =>
  draftIssue({
    ref: { system: 'fp', workspace: 'repo', id: 'draft' },
    title: 'Build auth',
    body: 'Body text',
    priority: 1,
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

type FpState = { issues: Record<string, { depends: string[]; status: string; priority: string | null }> };

describe('FPConnector against the fake fp', () => {
  let ws: FakeWorkspace;
  let connector: FPConnector;

  beforeEach(() => {
    ws = createFpWorkspace();
    connector = connectorFor(ws);
  });

  it('creates with the original argv, then show + context', async () => {
    const created = await connector.createIssue(draft());
    const argvs = ws.calls().map((c) => c.argv);
    expect(argvs).toEqual([
      ['issue', 'create', '--title', 'Build auth', '--description', 'Body text', '--priority', 'high'],
      ['issue', 'show', created.ref.id],
      ['context', created.ref.id],
    ]);
    expect(created.ref).toEqual({
      system: 'fp',
      workspace: 'repo',
      id: created.ref.id,
      key: created.ref.id,
      url: null,
    });
    expect(created.ref.id).toMatch(/^FP-[a-z]{8}$/);
    expect(created).toMatchObject({ title: 'Build auth', status: 'todo', priority: 1, issueType: 'task' });
    expect(created.body).toContain('Body text');
    expect(created.raw).toEqual({
      show: expect.stringContaining(created.ref.id),
      context: expect.stringContaining('Body text'),
    });
  });

  it('creates with parent, depends and a non-todo status', async () => {
    const parent = await connector.createIssue(draft({ title: 'Parent', priority: null, body: null }));
    const dep1 = await connector.createIssue(draft({ title: 'Dep 1', priority: 3, body: null }));
    const dep2 = await connector.createIssue(draft({ title: 'Dep 2', priority: 2, body: null }));
    ws.clearCalls();
    const child = await connector.createIssue(
      draft({
        title: 'Child',
        parent: parent.ref,
        status: CanonicalStatus.IN_PROGRESS,
        links: [
          createLink({ type: LinkType.BLOCKED_BY, target: dep1.ref }),
          createLink({ type: LinkType.RELATES_TO, target: dep2.ref }),
        ],
      }),
    );
    expect(ws.calls()[0]?.argv).toEqual([
      'issue',
      'create',
      '--title',
      'Child',
      '--description',
      'Body text',
      '--parent',
      parent.ref.id,
      '--priority',
      'high',
      '--depends',
      `${dep1.ref.id},${dep2.ref.id}`,
    ]);
    expect(child.status).toBe('in_progress');
    // both dependencies survive (the original re-wrote them one by one and kept only the last)
    expect((ws.readState() as FpState).issues[child.ref.id]?.depends).toEqual([dep1.ref.id, dep2.ref.id]);
    expect(ws.calls().filter((c) => c.argv.includes('--depends') && c.argv[1] === 'update')).toEqual([]);
  });

  it('lets done through at create and transition (the original does not deny it for fp)', async () => {
    const created = await connector.createIssue(draft({ status: CanonicalStatus.CANCELED }));
    expect(created.status).toBe('done');
  });

  it('updates status/priority with options before the id', async () => {
    const created = await connector.createIssue(draft());
    ws.clearCalls();
    const updated = await connector.updateIssue(created.ref, {
      status: CanonicalStatus.BLOCKED,
      priority: 4,
    });
    expect(ws.calls()[0]?.argv).toEqual([
      'issue',
      'update',
      '--status',
      'in-progress',
      '--priority',
      'low',
      created.ref.id,
    ]);
    expect(updated).toMatchObject({ status: 'in_progress', priority: 3 });
    ws.clearCalls();
    await connector.updateIssue(created.ref, { links: [] });
    expect(ws.calls().map((c) => c.argv[0])).toEqual(['issue', 'context']);
  });

  it('refuses patch keys fp cannot write, before any command', async () => {
    const created = await connector.createIssue(draft());
    ws.clearCalls();
    const e1 = await caught(
      connector.updateIssue(created.ref, { labels: ['a'], assignees: ['x'], status: CanonicalStatus.DONE }),
    );
    expect(CapabilityNotSupportedError.isInstance(e1)).toBe(true);
    expect((e1 as Error).message).toBe(
      'FPConnector does not currently support patch keys: assignees, labels',
    );
    const e2 = await caught(connector.updateIssue(created.ref, { title: 'x' }));
    expect((e2 as Error).message).toBe(
      'FPConnector update currently supports status/priority/dependencies only',
    );
    const e3 = await caught(connector.updateIssue(created.ref, { depends: ['x'] } as unknown as IssuePatch));
    expect(IssuePayloadContractError.isInstance(e3)).toBe(true);
    expect(e3).toMatchObject({ reason: 'PK-001', provider: 'fp', fieldPath: 'depends' });
    expect(ws.calls()).toEqual([]);
  });

  it('maps links to fp issue update --depends, merging with the current list', async () => {
    const a = await connector.createIssue(draft({ title: 'A' }));
    const b = await connector.createIssue(draft({ title: 'B' }));
    const c = await connector.createIssue(draft({ title: 'C' }));
    ws.clearCalls();
    await connector.upsertLink(a.ref, createLink({ type: LinkType.BLOCKS, target: b.ref }));
    await connector.upsertLink(a.ref, createLink({ type: LinkType.BLOCKED_BY, target: b.ref }));
    await connector.upsertLink(a.ref, createLink({ type: LinkType.RELATES_TO, target: b.ref }));
    await connector.upsertLink(a.ref, createLink({ type: LinkType.BLOCKED_BY, target: c.ref }));
    expect(ws.calls().map((c) => c.argv)).toEqual([
      ['issue', 'show', '--format', 'json', b.ref.id],
      ['issue', 'update', '--depends', a.ref.id, b.ref.id],
      ['issue', 'show', '--format', 'json', a.ref.id],
      ['issue', 'update', '--depends', b.ref.id, a.ref.id],
      ['issue', 'show', '--format', 'json', a.ref.id],
      ['issue', 'show', '--format', 'json', a.ref.id],
      ['issue', 'update', '--depends', `${b.ref.id},${c.ref.id}`, a.ref.id],
    ]);
    // the original kept only the last dependency; both survive here
    expect((ws.readState() as FpState).issues[a.ref.id]?.depends).toEqual([b.ref.id, c.ref.id]);
    const error = await caught(
      connector.upsertLink(a.ref, createLink({ type: LinkType.DUPLICATES, target: b.ref })),
    );
    expect((error as Error).message).toBe('Unsupported fp link type: duplicates');
  });

  it('adds comments verbatim, leading dashes included', async () => {
    const a = await connector.createIssue(draft());
    await connector.addComment(a.ref, 'plain');
    await connector.addComment(a.ref, '--looks like a flag\n"quoted" $(x)');
    const argvs = ws.calls().map((c) => c.argv);
    expect(argvs.at(-2)).toEqual(['comment', a.ref.id, 'plain']);
    expect(argvs.at(-1)).toEqual(['comment', '--', a.ref.id, '--looks like a flag\n"quoted" $(x)']);
    const state = ws.readState() as { comments: { content: string }[] };
    expect(state.comments.map((c) => c.content)).toEqual(['plain', '--looks like a flag\n"quoted" $(x)']);
  });

  it('passes a title that starts with a dash as --title=<title>', async () => {
    const created = await connector.createIssue(draft({ title: '-x "quoted" title' }));
    expect(ws.calls()[0]?.argv.slice(0, 3)).toEqual(['issue', 'create', '--title=-x "quoted" title']);
    expect(created.title).toBe('-x "quoted" title');
  });

  it('lists with offset cursors and status filters', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await connector.createIssue(draft({ title: `T${i}`, priority: null }))).ref.id);
    ws.clearCalls();
    const first = await connector.listIssues({ updatedSince: null, cursor: null, limit: 2 });
    expect(ws.calls()[0]?.argv).toEqual(['issue', 'list']);
    expect(first.nextCursor).toBe('2');
    const second = await connector.listIssues({ updatedSince: null, cursor: '2', limit: 2 });
    const third = await connector.listIssues({ updatedSince: null, cursor: '4', limit: 2 });
    expect(third.nextCursor).toBeNull();
    expect(ws.calls().map((c) => c.argv)).toEqual([['issue', 'list']]); // one fp run for all pages
    expect([...first.items, ...second.items, ...third.items].map((i) => i.ref.id)).toEqual(ids);
    expect(first.items[0]?.raw).toEqual({ line: `${ids[0]} [todo] T0` });
    await connector.transitionIssue(first.items[0]!.ref, CanonicalStatus.IN_REVIEW);
    ws.clearCalls();
    const filtered = await connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 10,
      filters: { status: CanonicalStatus.IN_REVIEW },
    });
    expect(ws.calls()[0]?.argv).toEqual(['issue', 'list', '--status', 'in-progress']);
    expect(filtered.items.map((i) => i.ref.id)).toEqual([ids[0]]);
  });

  it('turns fp "Issue X not found" into IssueNotFoundError for reads and writes', async () => {
    const missing = createRef({ system: 'fp', workspace: 'repo', id: 'FP-missing' });
    for (const attempt of [
      () => connector.getIssue(missing),
      () => connector.transitionIssue(missing, CanonicalStatus.IN_PROGRESS),
      () => connector.addComment(missing, 'hello'),
      () => connector.upsertLink(missing, createLink({ type: LinkType.BLOCKED_BY, target: missing })),
    ]) {
      const error = await caught(attempt());
      expect(IssueNotFoundError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toBe('fp issue not found: FP-missing');
    }
  });

  it('reads output larger than 1 MB, and times out / crashes with clear errors', async () => {
    await connector.createIssue(draft());
    const padded = connectorFor(ws, { FAKE_FP_FAULT: 'huge:2000000' });
    expect((await padded.listIssues({ updatedSince: null, cursor: null, limit: 5 })).items).toHaveLength(1);
    const slow = connectorFor(ws, { FAKE_FP_FAULT: 'slow:5000' }, 300);
    const timeout = await caught(slow.listIssues({ updatedSince: null, cursor: null, limit: 5 }));
    expect(timeout).toMatchObject({
      message:
        'Command timed out: fp issue list (no exit after 300 ms; check that the CLI is not waiting for input, or raise the runner timeoutMs)',
      failureClass: 'transient',
    });
    const crash = await caught(
      connectorFor(ws, { FAKE_FP_FAULT: 'crash:3' }).listIssues({
        updatedSince: null,
        cursor: null,
        limit: 5,
      }),
    );
    expect((crash as Error).message).toMatch(/^Command failed: fp issue list :: panic: /);
    const missing = await caught(
      new FPConnector(
        { cwd: ws.dir, command: 'fp-not-installed' },
        { runner: new SubprocessCommandRunner({ env }) },
      ).listIssues({
        updatedSince: null,
        cursor: null,
        limit: 5,
      }),
    );
    expect(ConnectorRequestError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toContain('Executable not found: fp-not-installed');
  });

  it('works with the default runner (createConnector, no runtime) and honours an AbortSignal', async () => {
    const fp = createConnector('fp', { cwd: ws.dir, command: fakeCliPaths().fp });
    const created = await fp.createIssue(draft());
    expect((await fp.getIssue(created.ref)).title).toBe('Build auth');
    ws.armFaults([{ kind: 'slow', arg: 10_000, match: 'issue list' }]);
    const controller = new AbortController();
    const started = Date.now();
    const pending = fp.listIssues({ updatedSince: null, cursor: null, limit: 5, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('sync cancelled')), 200);
    await expect(pending).rejects.toThrow('sync cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('outside an fp project the error says so', async () => {
    const outside = new FPConnector({ cwd: '/' }, { runner: new SubprocessCommandRunner({ env }) });
    const error = await caught(outside.listIssues({ updatedSince: null, cursor: null, limit: 5 }));
    expect((error as Error).message).toBe(
      "Command failed: fp issue list :: Error: .fp directory not found. Run 'fp init' to initialise a project here.",
    );
  });
});

describe('FPConnector parsing and configuration', () => {
  class FixedRunner implements CommandRunner {
    readonly calls: { argv: readonly string[]; options: CommandRunOptions | undefined }[] = [];
    constructor(private readonly outputs: Record<string, string>) {}
    async run(argv: readonly string[], options?: CommandRunOptions): Promise<string> {
      this.calls.push({ argv, options });
      return this.outputs[argv.slice(1, 3).join(' ')] ?? this.outputs[argv[1] ?? ''] ?? '';
    }
  }
  const ref = createRef({ system: 'fp', workspace: 'fp', id: 'FP-abcd' });

  it('parses tree-drawn lines, optional priority tags and the lenient vocabularies', async () => {
    const runner = new FixedRunner({
      'issue list': [
        'FP-abcd [todo] [high] Build auth flow',
        '├── FP-ef12 [in-progress] Child task',
        '│   └── blocked by: FP-abcd',
        '└── FP-x9 [weird-status] [critical] Odd one',
        'garbage line',
        '   ',
        'FP-n1 [cancelled] [3] Numeric priority',
      ].join('\n'),
    });
    const page = await new FPConnector({ defaultIssueType: 'chore' }, { runner }).listIssues({
      updatedSince: null,
      cursor: null,
      limit: 10,
    });
    expect(page.items.map((i) => [i.ref.id, i.status, i.priority, i.title, i.issueType])).toEqual([
      ['FP-abcd', 'todo', 1, 'Build auth flow', 'chore'],
      ['FP-ef12', 'in_progress', null, 'Child task', 'chore'],
      ['FP-x9', 'todo', null, 'Odd one', 'chore'],
      ['FP-n1', 'canceled', 3, 'Numeric priority', 'chore'],
    ]);
    expect(runner.calls[0]?.options).toEqual({ cwd: null });
  });

  it('getIssue falls back to a minimal issue, then to the list', async () => {
    const minimal = await new FPConnector(
      {},
      { runner: new FixedRunner({ 'issue show': 'Issue FP-abcd has no line', context: '' }) },
    ).getIssue(ref);
    expect(minimal).toMatchObject({
      title: 'FP-abcd',
      status: 'todo',
      body: null,
      raw: { show: 'Issue FP-abcd has no line', context: '' },
    });
    const viaList = await new FPConnector(
      {},
      {
        runner: new FixedRunner({
          'issue show': 'see FP-zzzz',
          context: 'ctx',
          'issue list': 'FP-abcd [done] Found it',
        }),
      },
    ).getIssue(ref);
    expect(viaList).toMatchObject({ title: 'Found it', status: 'done', body: 'ctx' });
    const none = await caught(
      new FPConnector({}, { runner: new FixedRunner({ 'issue show': 'no ids here' }) }).getIssue(ref),
    );
    expect((none as Error).message).toBe('Unable to extract fp issue id from command output');
    const gone = await caught(
      new FPConnector(
        {},
        { runner: new FixedRunner({ 'issue show': 'FP-zzzz', 'issue list': '' }) },
      ).getIssue(ref),
    );
    expect((gone as Error).message).toBe('fp issue not found: FP-abcd');
  });

  it('falls back to the original single-id write when fp rejects show --format json', async () => {
    class RejectingJson extends FixedRunner {
      override async run(argv: readonly string[], options?: CommandRunOptions): Promise<string> {
        if (argv.includes('--format')) {
          this.calls.push({ argv, options });
          throw new ConnectorRequestError(
            `Command failed: ${argv.join(' ')} :: error: unexpected argument '--format' found`,
          );
        }
        return super.run(argv, options);
      }
    }
    const runner = new RejectingJson({});
    await new FPConnector({}, { runner }).upsertLink(
      ref,
      createLink({
        type: LinkType.BLOCKED_BY,
        target: createRef({ system: 'fp', workspace: 'fp', id: 'FP-b' }),
      }),
    );
    expect(runner.calls.map((c) => c.argv)).toEqual([
      ['fp', 'issue', 'show', '--format', 'json', 'FP-abcd'],
      ['fp', 'issue', 'update', '--depends', 'FP-b', 'FP-abcd'],
    ]);
  });

  it('create fails clearly when fp prints no id', async () => {
    const error = await caught(
      new FPConnector({}, { runner: new FixedRunner({ 'issue create': 'done!' }) }).createIssue(draft()),
    );
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('Unable to extract fp issue id from command output');
  });

  it('fails closed without a runner when a context is set, and passes context only when set', async () => {
    const context = createLocalExecutionContext({ actor: 'a', repository: 'r' });
    expect(() => new FPConnector({ context })).toThrow(
      'FPConnectorConfig.context is set but no runner was supplied; a scoped context requires an explicit runner (e.g. a gateway-backed runner), never the default direct-subprocess runner.',
    );
    const runner = new FixedRunner({ 'issue list': '' });
    await new FPConnector({ context, cwd: '/r' }, { runner }).listIssues({
      updatedSince: null,
      cursor: null,
      limit: 1,
    });
    expect(runner.calls[0]?.options).toEqual({ cwd: '/r', context });
  });

  it('registers on import as a local connector', () => {
    expect(getConnectorDefinition('fp')).toMatchObject({
      id: 'fp',
      mode: 'local',
      packageName: '@spec-kitty/connector-fp',
    });
    const connector = createConnector('fp', { cwd: '/repo' }) as FPConnector;
    expect(connector.config).toEqual({
      workspace: 'fp',
      command: 'fp',
      cwd: '/repo',
      defaultIssueType: 'task',
      context: null,
      timeoutMs: 30_000,
    });
    expect(() => createConnector('fp', { defaultIssueType: 'saga' } as never)).toThrow(ConnectorConfigError);
  });

  it('reports the original capabilities', async () => {
    const caps = await new FPConnector().getCapabilities();
    expect(caps).toMatchObject({
      supportsCustomFields: false,
      supportsBulkRead: false,
      supportsTerminalTransition: false,
      supportsAssignment: false,
    });
  });
});
