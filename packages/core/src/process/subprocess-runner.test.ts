import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError, ConnectorTimeoutError } from '../errors/errors';
import { withRequestScope } from '../http/request-scope';
import { DEFAULT_COMMAND_TIMEOUT_MS, SubprocessCommandRunner } from './index';

const node = process.execPath;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the command to fail');
}

describe('SubprocessCommandRunner', () => {
  it('defaults to a 30 s timeout like the original', () => {
    expect(new SubprocessCommandRunner().timeoutMs).toBe(30_000);
    expect(DEFAULT_COMMAND_TIMEOUT_MS).toBe(30_000);
    expect(() => new SubprocessCommandRunner({ timeoutMs: -1 })).toThrow(TypeError);
  });

  it('returns stdout and passes hostile arguments verbatim (no shell)', async () => {
    const runner = new SubprocessCommandRunner();
    const args = [
      'with space',
      'double "quoted"',
      "single 'quoted'",
      'multi\nline\n',
      '--leading-dash',
      '-x',
      '$(touch /tmp/should-not-exist)',
      '`id`; echo pwned | cat && exit 3',
      '*',
      '',
      'ünïcødé ✓',
    ];
    const out = await runner.run([
      node,
      '-e',
      'process.stdout.write(JSON.stringify(process.argv.slice(1)))',
      ...args,
    ]);
    expect(JSON.parse(out)).toEqual(args);
  });

  it('runs in the given cwd', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'runner-cwd-')));
    const out = await new SubprocessCommandRunner().run([node, '-e', 'process.stdout.write(process.cwd())'], {
      cwd: dir,
    });
    expect(out).toBe(dir);
  });

  it('streams stdout larger than any maxBuffer (8 MB, multi-byte characters intact)', async () => {
    const script =
      "const s='é'.repeat(1024*1024); for (let i=0;i<4;i++) process.stdout.write(s); process.stdout.write('END')";
    const out = await new SubprocessCommandRunner().run([node, '-e', script]);
    expect(Buffer.byteLength(out)).toBe(8 * 1024 * 1024 + 3);
    expect(out.endsWith('éEND')).toBe(true);
    expect(out.includes('\uFFFD')).toBe(false);
  });

  it('turns a non-zero exit into "Command failed: <argv> :: <stderr>"', async () => {
    const runner = new SubprocessCommandRunner({ provider: 'beads' });
    const error = await failure(
      runner.run([node, '-e', "process.stderr.write('  boom: bad flag \\n'); process.exit(2)", 'arg one']),
    );
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    const e = error as ConnectorRequestError;
    expect(e.message).toBe(
      `Command failed: ${node} -e process.stderr.write('  boom: bad flag \\n'); process.exit(2) arg one :: boom: bad flag`,
    );
    expect(e.failureClass).toBe('non_retryable');
    expect(e.isRetryable).toBe(false);
    expect(e.statusCode).toBeNull();
    expect(e.provider).toBe('beads');
  });

  it('quotes stdout when stderr is empty (bd --json writes errors to stdout)', async () => {
    const error = await failure(
      new SubprocessCommandRunner().run([
        node,
        '-e',
        'process.stdout.write(JSON.stringify({error:"no issues found matching the provided IDs"})); process.exit(1)',
      ]),
    );
    expect((error as Error).message).toMatch(/ :: \{"error":"no issues found matching the provided IDs"\}$/);
  });

  it('names the exit code or signal when the command printed nothing', async () => {
    const byCode = await failure(new SubprocessCommandRunner().run([node, '-e', 'process.exit(7)']));
    expect((byCode as Error).message).toMatch(/ :: exit code 7$/);
    const bySignal = await failure(
      new SubprocessCommandRunner().run([node, '-e', "process.kill(process.pid,'SIGKILL')"]),
    );
    expect((bySignal as Error).message).toMatch(/ :: terminated by signal SIGKILL$/);
  });

  it('times out as a transient ConnectorRequestError and kills the child', async () => {
    const runner = new SubprocessCommandRunner({ timeoutMs: 300 });
    const started = Date.now();
    const error = await failure(runner.run([node, '-e', 'setTimeout(() => {}, 60_000)']));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    const e = error as ConnectorRequestError;
    expect(e.message.startsWith(`Command timed out: ${node} -e setTimeout(() => {}, 60_000)`)).toBe(true);
    expect(e.message).toContain('300 ms');
    expect(e.failureClass).toBe('transient');
    expect(e.isRetryable).toBe(true);
  });

  it("inside a sync run, caps its timeout at the run's requestTimeoutMs (ConnectorTimeoutError)", async () => {
    const runner = new SubprocessCommandRunner({ timeoutMs: 30_000 });
    const signal = withRequestScope(new AbortController().signal, {
      callerRetries: true,
      maxRetryAfterSeconds: 30,
      requestTimeoutMs: 200,
    });
    const started = Date.now();
    const error = await failure(runner.run([node, '-e', 'setTimeout(() => {}, 60_000)'], { signal }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ConnectorTimeoutError.isInstance(error)).toBe(true);
    expect((error as ConnectorTimeoutError).timeoutMs).toBe(200);
    expect((error as Error).message).toContain('no exit after 200 ms');
  });

  it('kills a child that ignores SIGTERM', async () => {
    const runner = new SubprocessCommandRunner({ timeoutMs: 200 });
    const script =
      "process.on('SIGTERM',()=>{}); process.stdout.write(String(process.pid)); setInterval(()=>{},1000)";
    const error = await failure(runner.run([node, '-e', script]));
    expect((error as Error).message).toMatch(/^Command timed out/);
  });

  it('explains a missing executable and how to fix it', async () => {
    const error = await failure(
      new SubprocessCommandRunner().run(['bd-definitely-missing-xyz', '--json', 'list']),
    );
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Executable not found: bd-definitely-missing-xyz (not on PATH); install it, ' +
        `or set the connector's "command" option to the executable's full path`,
    );
    const bd = await failure(
      new SubprocessCommandRunner({ env: { PATH: '/nonexistent' } }).run(['bd', '--json', 'list'], {
        cwd: '/',
      }),
    );
    expect((bd as Error).message).toContain('Executable not found: bd (not on PATH, cwd /); install Beads');
    expect((bd as Error).message).toContain('npm install -g @beads/bd');
    const fp = await failure(
      new SubprocessCommandRunner({ env: { PATH: '/nonexistent' } }).run(['fp', 'issue', 'list']),
    );
    expect((fp as Error).message).toContain('setup.fp.dev/install.sh');
  });

  it('says "no such file" for a missing absolute path', async () => {
    const error = await failure(new SubprocessCommandRunner().run(['/opt/nowhere/bd', '--json', 'list']));
    expect((error as Error).message).toMatch(
      /^Executable not found: \/opt\/nowhere\/bd \(no such file\); install Beads/,
    );
  });

  it('says so when the cwd does not exist', async () => {
    const error = await failure(
      new SubprocessCommandRunner().run([node, '-e', ''], { cwd: '/no/such/dir/here' }),
    );
    expect((error as Error).message).toContain('working directory does not exist: /no/such/dir/here');
  });

  it('rejects an empty argv', async () => {
    const error = await failure(new SubprocessCommandRunner().run([]));
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
  });

  it('honours an AbortSignal (already aborted and mid-run)', async () => {
    const runner = new SubprocessCommandRunner();
    const pre = AbortSignal.abort(new Error('stop before'));
    await expect(runner.run([node, '-e', ''], { signal: pre })).rejects.toThrow('stop before');
    const controller = new AbortController();
    const started = Date.now();
    const pending = runner.run([node, '-e', 'setTimeout(() => {}, 60_000)'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop now')), 100);
    await expect(pending).rejects.toThrow('stop now');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('passes env through and ignores context', async () => {
    const runner = new SubprocessCommandRunner({ env: { ...process.env, RUNNER_TEST_VALUE: 'x y' } });
    const out = await runner.run([node, '-e', 'process.stdout.write(process.env.RUNNER_TEST_VALUE)'], {
      context: { actor: 'a', repository: 'r', team: null, missionId: null, taskId: null },
    });
    expect(out).toBe('x y');
  });
});

describe('SubprocessCommandRunner with a background child holding the pipes', () => {
  it('returns once the command exits, even if a grandchild keeps stdout open', async () => {
    const script = [
      "const { spawn } = require('node:child_process');",
      "const g = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });",
      'g.unref();',
      'process.stdout.write(JSON.stringify({ ok: true, grandchild: g.pid }));',
    ].join('\n');
    const started = Date.now();
    const out = await new SubprocessCommandRunner({ timeoutMs: 20_000 }).run([node, '-e', script]);
    const elapsed = Date.now() - started;
    const parsed = JSON.parse(out) as { ok: boolean; grandchild: number };
    process.kill(parsed.grandchild, 'SIGKILL');
    expect(parsed.ok).toBe(true);
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe('SubprocessCommandRunner argument limits', () => {
  it('explains an argument over the OS limit (E2BIG) instead of crashing', async () => {
    const huge = 'x'.repeat(300_000);
    const error = await failure(new SubprocessCommandRunner().run([node, '-e', '', huge]));
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    const e = error as ConnectorRequestError;
    expect(e.message).toContain('argument list too long (E2BIG; longest argument 300000 bytes)');
    expect(e.message).toContain(`${'x'.repeat(60)}…(300000 characters)`);
    expect(e.message.length).toBeLessThan(2_000);
    expect(e.failureClass).toBe('validation');
  });
});
