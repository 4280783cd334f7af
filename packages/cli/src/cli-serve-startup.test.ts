import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { initFileTracker, runCli, tempProject } from './test-support';

// `serve` refuses to start, naming what to do, when a binding cannot be served safely.

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

const SECRET = 'whsec-startup-7c1d';

async function bindGitHub() {
  const bind = await runCli(['init', '--provider', 'github', '--workspace', 'octo/hello'], { cwd: dir });
  expect(bind.code, bind.stderr).toBe(ExitCode.OK);
}

describe('serve startup errors', () => {
  it('names the secret variable when a binding has no webhook secret', async () => {
    await bindGitHub();
    const run = await runCli(['serve'], { cwd: dir, env: { GITHUB_TOKEN: 'ghp_x' } });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('Set SPEC_KITTY_WEBHOOK_SECRET_GITHUB');
    const named = await runCli(['serve', '--binding', 'github'], {
      cwd: dir,
      env: { SPEC_KITTY_WEBHOOK_SECRET_GITHUB: '  ' },
    });
    expect(named.code).toBe(ExitCode.USAGE);
    expect(named.stderr).toContain('SPEC_KITTY_WEBHOOK_SECRET_GITHUB');
  });

  it('refuses an unknown binding, naming the one the project has', async () => {
    await bindGitHub();
    const run = await runCli(['serve', '--binding', 'gitlab'], {
      cwd: dir,
      env: { SPEC_KITTY_WEBHOOK_SECRET_GITLAB: SECRET },
    });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('unknown binding "gitlab"');
    expect(run.stderr).toContain('--binding github');
  });

  it('names the tracker credential it needs to process, and needs none with --accept-only', async () => {
    await bindGitHub();
    const env = { SPEC_KITTY_WEBHOOK_SECRET_GITHUB: SECRET };
    const run = await runCli(['serve', '--port', '0'], { cwd: dir, env });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('environment variable GITHUB_TOKEN');
    expect(run.stderr).not.toContain(SECRET);
  });

  it('refuses a provider without webhook support', async () => {
    await initFileTracker(dir);
    const run = await runCli(['serve'], { cwd: dir, env: {} });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toMatch(/no webhook support.*spec-kitty-tracker sync/);
  });

  it('checks its flags', async () => {
    await bindGitHub();
    const env = { SPEC_KITTY_WEBHOOK_SECRET_GITHUB: SECRET };
    const cases: [string[], string][] = [
      [['--port', '70000'], '--port must be at most 65535'],
      [['--max-body', '0'], '--max-body must be a whole number of at least 1'],
      [['--safety-interval', 'soon'], '--safety-interval must be a whole number'],
      [['--binding', '=x'], '--binding takes NAME or NAME=CONFIG'],
      [['--binding', 'github', '--binding', 'github'], 'given twice'],
      [['--binding', 'a/b=other.json'], 'URL path segment'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['serve', ...args], { cwd: dir, env });
      expect(run.code, args.join(' ')).toBe(ExitCode.USAGE);
      expect(run.stderr).toContain(message);
    }
  });
});
