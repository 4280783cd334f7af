import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createBeadsWorkspace,
  createFakeCliBinDir,
  createFpWorkspace,
  fakeCliEnv,
  fakeCliPaths,
} from './index';

const env = fakeCliEnv(createFakeCliBinDir());

function run(tool: 'bd' | 'fp', args: string[], cwd: string, extra: Record<string, string> = {}) {
  const result = spawnSync(tool, args, {
    cwd,
    env: { ...env, ...extra },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

function json(text: string): unknown {
  return JSON.parse(text);
}

describe('fake bd', () => {
  it('is an executable node script on PATH', () => {
    const { bd, fp } = fakeCliPaths();
    for (const path of [bd, fp]) expect(statSync(path).mode & 0o111).not.toBe(0);
    const ws = createBeadsWorkspace();
    expect(run('bd', ['--json', 'list'], ws.dir)).toEqual({
      code: 0,
      stdout: '[]\n',
      stderr: '',
      signal: null,
    });
  });

  it('creates, lists, shows and updates issues with the real JSON shapes', () => {
    const ws = createBeadsWorkspace({ prefix: 'sk' });
    const created = run(
      'bd',
      [
        '--json',
        'create',
        'Build "auth"',
        '--type',
        'feature',
        '--priority',
        '1',
        '--description',
        'multi\nline',
        '--label',
        'a',
        '--label',
        'b',
      ],
      ws.dir,
    );
    expect(created.code).toBe(0);
    const issue = json(created.stdout) as Record<string, unknown>;
    expect(Object.keys(issue)).toEqual([...Object.keys(issue)].sort());
    expect(issue).toMatchObject({
      title: 'Build "auth"',
      issue_type: 'feature',
      priority: 1,
      status: 'open',
      description: 'multi\nline',
      labels: ['a', 'b'],
      schema_version: 1,
    });
    expect(String(issue.id)).toMatch(/^sk-[0-9a-z]{4}$/);
    expect(created.stdout).toContain('\n  "id"');

    const child = json(
      run('bd', ['--json', 'create', 'child', '--parent', String(issue.id)], ws.dir).stdout,
    ) as Record<string, unknown>;
    expect(child.id).toBe(`${String(issue.id)}.1`);

    const list = json(run('bd', ['--json', 'list'], ws.dir).stdout) as Record<string, unknown>[];
    expect(list.map((i) => i.id)).toEqual([issue.id, child.id]);
    expect(list[1]).toMatchObject({
      parent: issue.id,
      dependencies: [{ issue_id: child.id, depends_on_id: issue.id, type: 'parent-child' }],
    });
    expect(list[0]).not.toHaveProperty('schema_version');

    const shown = json(run('bd', ['--json', 'show', String(child.id)], ws.dir).stdout) as Record<
      string,
      unknown
    >[];
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      parent: issue.id,
      dependencies: [{ id: issue.id, dependency_type: 'parent-child' }],
    });

    const updated = run(
      'bd',
      [
        '--json',
        'update',
        String(issue.id),
        '--status',
        'in_progress',
        '--set-labels',
        'x',
        '--set-labels',
        'y',
        '--title',
        '-dash title',
      ],
      ws.dir,
    );
    expect(updated.code).toBe(0);
    expect(json(updated.stdout)).toMatchObject([
      { status: 'in_progress', labels: ['x', 'y'], title: '-dash title' },
    ]);
  });

  it('hides closed issues from list unless --all / --status, and honours --limit', () => {
    const ws = createBeadsWorkspace();
    const ids = [1, 2, 3].map(
      (n) => (json(run('bd', ['--json', 'create', `t${n}`], ws.dir).stdout) as { id: string }).id,
    );
    expect(run('bd', ['--json', 'close', ids[0]!], ws.dir).code).toBe(0);
    expect((json(run('bd', ['--json', 'list'], ws.dir).stdout) as unknown[]).length).toBe(2);
    expect((json(run('bd', ['--json', 'list', '--all'], ws.dir).stdout) as unknown[]).length).toBe(3);
    expect(
      (json(run('bd', ['--json', 'list', '--status', 'closed'], ws.dir).stdout) as unknown[]).length,
    ).toBe(1);
    const limited = run('bd', ['--json', 'list', '--all', '--limit', '2'], ws.dir);
    expect((json(limited.stdout) as unknown[]).length).toBe(2);
    expect(limited.stderr).toContain('hidden by --limit');
  });

  it('filters list by external_ref: --external-ref exact, --external-contains substring', () => {
    const ws = createBeadsWorkspace();
    const create = (title: string, ref?: string) =>
      (
        json(
          run('bd', ['--json', 'create', title, ...(ref ? ['--external-ref', ref] : [])], ws.dir).stdout,
        ) as { id: string }
      ).id;
    const a = create('a', 'gh-12');
    create('b', 'gh-123');
    create('c');
    const ids = (args: string[]) =>
      (json(run('bd', ['--json', 'list', '--all', ...args], ws.dir).stdout) as { id: string }[]).map(
        (issue) => issue.id,
      );
    expect(ids(['--external-ref', 'gh-12'])).toEqual([a]);
    expect(ids(['--external-ref', 'GH-12'])).toEqual([]);
    expect(ids(['--external-contains', 'GH-12']).length).toBe(2);
    expect(ids(['--external-ref', '']).length).toBe(3);
    const shown = json(run('bd', ['--json', 'list', '--external-ref', 'gh-12'], ws.dir).stdout);
    expect(shown).toEqual([expect.objectContaining({ id: a, external_ref: 'gh-12' })]);
  });

  it('accepts every built-in status, hooked included, and refuses others with the valid list', () => {
    const ws = createBeadsWorkspace();
    const id = (json(run('bd', ['--json', 'create', 'x'], ws.dir).stdout) as { id: string }).id;
    for (const status of ['in_progress', 'blocked', 'deferred', 'pinned', 'hooked', 'open']) {
      const updated = run('bd', ['--json', 'update', id, '--status', status], ws.dir);
      expect(updated.code).toBe(0);
      expect(json(updated.stdout)).toEqual([expect.objectContaining({ id, status })]);
    }
    expect(run('bd', ['--json', 'update', id, '--status', 'hooked'], ws.dir).code).toBe(0);
    expect(json(run('bd', ['--json', 'list', '--status', 'hooked'], ws.dir).stdout)).toEqual([
      expect.objectContaining({ id, status: 'hooked' }),
    ]);
    const bad = run('bd', ['--json', 'update', id, '--status', 'review'], ws.dir);
    expect(bad.code).toBe(1);
    expect(json(bad.stdout)).toEqual({
      error: 'invalid status "review" (valid: open, in_progress, blocked, deferred, closed, pinned, hooked)',
      schema_version: 1,
    });
  });

  it('prints errors like bd: JSON on stdout or stderr, exit 1', () => {
    const ws = createBeadsWorkspace();
    const missing = run('bd', ['--json', 'show', 'bd-zzzz'], ws.dir);
    expect(missing.code).toBe(1);
    expect(json(missing.stdout)).toEqual({
      error: 'no issues found matching the provided IDs',
      schema_version: 1,
    });
    expect(missing.stderr).toBe('Error fetching bd-zzzz: no issue found matching "bd-zzzz"\n');

    const badPriority = run('bd', ['--json', 'create', 'x', '--priority', 'high'], ws.dir);
    expect(badPriority.code).toBe(1);
    expect(badPriority.stdout).toBe('');
    expect(json(badPriority.stderr)).toEqual({
      error: 'invalid priority "high" (expected 0-4 or P0-P4, not words like high/medium/low)',
      schema_version: 1,
    });

    const unknownFlag = run('bd', ['--json', 'list', '--bogus'], ws.dir);
    expect(unknownFlag.code).toBe(1);
    expect(unknownFlag.stderr).toMatch(/^Error: unknown flag: --bogus/);

    const outside = run('bd', ['--json', 'list'], '/');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/^Error: no beads database found\nHint:/);

    const plain = run('bd', ['show', 'bd-zzzz'], ws.dir);
    expect(plain.stderr).toContain('Error: no issues found matching the provided IDs');
  });

  it('adds deps and comments, and lists config', () => {
    const ws = createBeadsWorkspace({ config: { 'linear.api_key': 'secret', 'jira.url': 'https://x' } });
    const [a, b] = ['a', 'b'].map(
      (t) => (json(run('bd', ['--json', 'create', t], ws.dir).stdout) as { id: string }).id,
    );
    expect(json(run('bd', ['--json', 'dep', 'add', a!, b!, '--type', 'related'], ws.dir).stdout)).toEqual({
      depends_on_id: b,
      issue_id: a,
      schema_version: 1,
      status: 'added',
      type: 'related',
    });
    const comment = json(run('bd', ['--json', 'comments', 'add', a!, 'hello\nworld'], ws.dir).stdout);
    expect(comment).toMatchObject({ issue_id: a, text: 'hello\nworld', schema_version: 1 });
    expect(json(run('bd', ['config', 'list', '--json'], ws.dir).stdout)).toEqual({
      issue_prefix: 'bd',
      'jira.url': 'https://x',
      'linear.api_key': 'secret',
      schema_version: 1,
    });
    const badDep = run('bd', ['--json', 'dep', 'add', a!, 'bd-nope'], ws.dir);
    expect(badDep.code).toBe(1);
    expect(json(badDep.stdout)).toMatchObject({ error: expect.stringContaining('bd-nope') });
  });

  it('wraps payloads in the envelope when BD_JSON_ENVELOPE=1', () => {
    const ws = createBeadsWorkspace();
    expect(json(run('bd', ['--json', 'list'], ws.dir, { BD_JSON_ENVELOPE: '1' }).stdout)).toEqual({
      schema_version: 1,
      data: [],
    });
  });

  it('finds the database via --db, BEADS_DIR or .beads/ walking up', () => {
    const ws = createBeadsWorkspace();
    run('bd', ['--json', 'create', 'x'], ws.dir);
    const count = (out: string) => (json(out) as unknown[]).length;
    expect(count(run('bd', ['--db', ws.stateDir, '--json', 'list'], '/').stdout)).toBe(1);
    expect(count(run('bd', ['--json', 'list', '--db', `${ws.stateDir}/beads.db`], '/').stdout)).toBe(1);
    expect(count(run('bd', ['--json', 'list'], '/', { BEADS_DIR: ws.stateDir }).stdout)).toBe(1);
    expect(count(run('bd', ['-C', ws.dir, '--json', 'list'], '/').stdout)).toBe(1);
  });

  it('logs every call', () => {
    const ws = createBeadsWorkspace();
    run('bd', ['--json', 'list', '--status', 'open'], ws.dir);
    expect(ws.calls().map((c) => c.argv)).toEqual([['--json', 'list', '--status', 'open']]);
  });

  it('injects faults from env and from armed rules', () => {
    const ws = createBeadsWorkspace();
    const crash = run('bd', ['--json', 'list'], ws.dir, { FAKE_BD_FAULT: 'crash:3@list' });
    expect(crash.code).toBe(3);
    expect(crash.stderr).toContain('panic:');
    expect(run('bd', ['--json', 'show', 'x'], ws.dir, { FAKE_BD_FAULT: 'crash:3@list' }).code).toBe(1);

    const huge = run('bd', ['--json', 'list'], ws.dir, { FAKE_CLI_FAULT: 'huge:3000000' });
    expect(huge.stdout.length).toBeGreaterThan(3_000_000);
    expect(json(huge.stdout)).toEqual([]);

    expect(() => json(run('bd', ['--json', 'list'], ws.dir, { FAKE_CLI_FAULT: 'garbage' }).stdout)).toThrow();

    const started = Date.now();
    run('bd', ['--json', 'list'], ws.dir, { FAKE_CLI_FAULT: 'slow:400' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);

    ws.armFaults([{ kind: 'crash', arg: 4, match: 'create', times: 1 }]);
    expect(run('bd', ['--json', 'list'], ws.dir).code).toBe(0);
    expect(run('bd', ['--json', 'create', 'x'], ws.dir).code).toBe(4);
    expect(run('bd', ['--json', 'create', 'x'], ws.dir).code).toBe(0);
  });
});

describe('fake fp', () => {
  it('creates and lists issues as text lines', () => {
    const ws = createFpWorkspace();
    const created = run(
      'fp',
      ['issue', 'create', '--title', 'Auth flow', '--priority', 'high', '--description', 'Do it'],
      ws.dir,
    );
    expect(created.code).toBe(0);
    const id = /FP-[a-z]{8}/.exec(created.stdout)?.[0];
    expect(created.stdout).toBe(`Created issue ${id}: Auth flow\n`);
    run('fp', ['issue', 'create', '--title', 'Second', '--parent', id!], ws.dir);
    const list = run('fp', ['issue', 'list'], ws.dir).stdout.split('\n').filter(Boolean);
    expect(list[0]).toBe(`${id} [todo] [high] Auth flow`);
    expect(list[1]).toMatch(/^FP-[a-z]{8} \[todo\] Second$/);
    expect(run('fp', ['issue', 'show', id!], ws.dir).stdout.split('\n')[0]).toBe(
      `${id} [todo] [high] Auth flow`,
    );
    expect(run('fp', ['context', id!], ws.dir).stdout).toContain('Do it');
  });

  it('updates with options before the id; --depends replaces the list', () => {
    const ws = createFpWorkspace();
    const ids = ['a', 'b', 'c'].map(
      (t) => /FP-[a-z]{8}/.exec(run('fp', ['issue', 'create', '--title', t], ws.dir).stdout)![0],
    );
    const [a, b, c] = ids as [string, string, string];
    expect(run('fp', ['issue', 'update', '--depends', b, a], ws.dir).code).toBe(0);
    expect(run('fp', ['issue', 'update', '--depends', c, a], ws.dir).code).toBe(0);
    const state = ws.readState() as { issues: Record<string, { depends: string[] }> };
    expect(state.issues[a]!.depends).toEqual([c]);
    expect(run('fp', ['issue', 'update', '--status', 'in-progress', a], ws.dir).stdout).toContain(
      `Updated issue ${a}`,
    );
    expect(run('fp', ['issue', 'list', '--status', 'in-progress'], ws.dir).stdout).toBe(
      `${a} [in-progress] a\n`,
    );
    expect(run('fp', ['comment', a, 'a comment'], ws.dir).stdout).toBe(`Added comment to ${a}\n`);
  });

  it('prints prose errors with exit 1', () => {
    const ws = createFpWorkspace();
    expect(run('fp', ['issue', 'show', 'FP-nothere'], ws.dir)).toMatchObject({
      code: 1,
      stderr: 'Error: Issue FP-nothere not found\n',
    });
    expect(run('fp', ['issue', 'list', '--status', 'bogus'], ws.dir).stderr).toContain(
      "Invalid status 'bogus'",
    );
    expect(run('fp', ['issue', 'list'], '/').stderr).toContain('.fp directory not found');
    const id = /FP-[a-z]{8}/.exec(run('fp', ['issue', 'create', '--title', 'x'], ws.dir).stdout)![0];
    expect(run('fp', ['issue', 'update', id], ws.dir).stderr).toBe('Error: No changes specified\n');
  });

  it('pads output for the huge fault without breaking line parsing', () => {
    const ws = createFpWorkspace();
    run('fp', ['issue', 'create', '--title', 'x'], ws.dir);
    const huge = run('fp', ['issue', 'list'], ws.dir, { FAKE_FP_FAULT: 'huge:1500000' });
    expect(huge.stdout.length).toBeGreaterThan(1_500_000);
    expect(huge.stdout.trim()).toMatch(/^FP-[a-z]{8} \[todo\] x$/);
  });
});
