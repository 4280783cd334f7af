import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, runCli, startSandbox, tempProject } from './sandbox-process';

// For every vendor, the `bind` command and credential the sandbox prints are exactly what the
// CLI needs: a fresh project bound with them pulls every seeded issue.

let project: { dir: string; cleanup: () => void };
let sandbox: RunningSandbox | null = null;
beforeEach(() => {
  project = tempProject();
});
afterEach(async () => {
  await sandbox?.stop();
  sandbox = null;
  project.cleanup();
});

describe.each(['github', 'gitlab', 'linear', 'jira', 'azure'])('pnpm fake %s', (vendor) => {
  it('prints a bind command and credential that pull every seeded issue', async () => {
    sandbox = await startSandbox([vendor, '--seed', '7']);
    const { info } = sandbox;
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(info.bindCommand).toBe(`spec-kitty-tracker ${info.bind.join(' ')}`);
    expect(info.seeded).toBe(7);

    const init = await runCli(['init'], project.dir);
    expect(init.code, init.stderr).toBe(0);
    const bind = await runCli(info.bind, project.dir, info.env);
    expect(bind.code, bind.stderr).toBe(0);
    expect(bind.stdout).toMatch(/\(set\)/);
    const pull = await runCli(['--json', 'pull'], project.dir, info.env);
    expect(pull.code, pull.stdout + pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ stats: { pulledCreated: 7 }, failures: [] });

    const stderr = await sandbox.stop();
    sandbox = null;
    // Every request the CLI made was one the real API accepts.
    expect(stderr).not.toContain('rejected');
    expect(stderr).toMatch(/stopped after \d+ requests/);
  });
});
