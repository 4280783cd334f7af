// The CLI runs every installed connector's `cli.preflight` hook before a run; Beads uses it to
// refuse pushing into a tracker its own `bd <tracker> sync` already writes.
import { createBeadsWorkspace, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runCli } from './test-support';

describe('connector preflight hooks', () => {
  it("refuses a push into GitHub from a project whose bd already syncs GitHub (the beads definition's hook)", async () => {
    const workspace = createBeadsWorkspace({
      config: { 'github.token': 'ghp_secret_value', 'github.repo': 'o/r' },
    });
    const env = { ...fakeCliEnv(), GITHUB_TOKEN: 'token-not-used' };
    const init = await runCli(['init', '--provider', 'github', '--workspace', 'octo/hello'], {
      cwd: workspace.dir,
      env,
    });
    expect(init.code, init.stderr).toBe(ExitCode.OK);
    const push = await runCli(['push'], { cwd: workspace.dir, env });
    expect(push.code).not.toBe(ExitCode.OK);
    expect(push.stderr).toContain("bd's own GitHub sync");
    expect(push.stderr).toContain('github.token');
    expect(push.stderr).not.toContain('ghp_secret_value');
  });
});
