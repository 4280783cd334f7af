import { createServer } from 'node:net';
import { type GitHubFake, startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runBuiltCli, tempProject } from './test-support';

// Exit codes tell the truth: a run that got nothing done is an error (1) naming the cause, not a
// partial failure (3). The built CLI against a closed port and against the GitHub fake.

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

const token = 'ghp_outcomeSECRET0001';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function bindGitHub(baseUrl: string) {
  const init = await runBuiltCli(
    ['init', '--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${baseUrl}`],
    { cwd: dir },
  );
  expect(init.code, init.stderr).toBe(ExitCode.OK);
}

function expectNothingDone(run: { code: number; stdout: string; stderr: string }, operation: string) {
  expect(run.code, run.stdout + run.stderr).toBe(ExitCode.ERROR);
  expect(run.stderr).toContain(`${operation}: nothing could be read or written: pull_page: `);
  expect(run.stdout + run.stderr).not.toContain('Some issues failed');
  expect(run.stdout + run.stderr).not.toContain('[<none>]');
}

describe('a run that gets nothing done', () => {
  it('exits 1 naming the cause when the host is unreachable', async () => {
    await bindGitHub(`http://127.0.0.1:${await closedPort()}`);
    for (const operation of ['pull', 'sync']) {
      const run = await runBuiltCli([operation], { cwd: dir, env: { GITHUB_TOKEN: token } });
      expectNothingDone(run, operation);
      expect(run.stderr).toMatch(/ECONNREFUSED|refused|connect/i);
    }
    const json = await runBuiltCli(['--json', 'pull'], { cwd: dir, env: { GITHUB_TOKEN: token } });
    expect(json.json()).toMatchObject({ exitCode: 1, failures: [{ operation: 'pull_page' }] });
  });

  describe('against the GitHub fake', () => {
    let fake: GitHubFake;
    beforeEach(async () => {
      fake = await startGitHubFake({ token, owner: 'octo', repo: 'hello' });
      fake.seedIssue({ title: 'One' });
      fake.seedIssue({ title: 'Two' });
    });
    afterEach(async () => {
      await fake.close();
    });

    it('exits 1 when every try answers 5xx', async () => {
      await bindGitHub(fake.url);
      fake.server.injectFault({ times: Number.POSITIVE_INFINITY, fault: { kind: 'status', status: 503 } });
      const run = await runBuiltCli(['pull'], { cwd: dir, env: { GITHUB_TOKEN: token } });
      expectNothingDone(run, 'pull');
      expect(run.stderr).toMatch(/503/);
    });

    it('says "rate limited by github until <time>" and stops at once when the reset is far off', async () => {
      await bindGitHub(fake.url);
      const reset = Math.floor(Date.now() / 1000) + 3600;
      fake.server.injectFault({
        times: Number.POSITIVE_INFINITY,
        fault: {
          kind: 'status',
          status: 403,
          headers: {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(reset),
          },
          body: { message: 'API rate limit exceeded' },
        },
      });
      const run = await runBuiltCli(['pull'], { cwd: dir, env: { GITHUB_TOKEN: token } });
      expect(run.code).not.toBe(ExitCode.OK);
      const until = /pull: rate limited by github until (\S+Z) \(in about (\d+) min\)/.exec(run.stderr);
      expect(until, run.stderr).not.toBeNull();
      expect(Math.abs(Date.parse(until![1]!) - reset * 1000)).toBeLessThan(5000);
      expect(run.stderr).not.toContain('Check that the tracker is reachable');
      // Stopped at once: no retries, no further pages.
      expect(fake.server.callCount()).toBe(1);
      const json = await runBuiltCli(['--json', 'pull'], { cwd: dir, env: { GITHUB_TOKEN: token } });
      expect(json.json()).toMatchObject({
        failures: [{ failureClass: 'rate_limit', resetAt: expect.stringMatching(/Z$/) }],
      });
    });

    it('exits 3 only when some issues were done and some failed', async () => {
      await bindGitHub(fake.url);
      const env = { GITHUB_TOKEN: token };
      expect((await runBuiltCli(['pull'], { cwd: dir, env })).code).toBe(ExitCode.OK);
      await runBuiltCli(['edit', '#1', '--title', 'One, edited'], { cwd: dir, env });
      await runBuiltCli(['edit', '#2', '--title', 'Two, edited'], { cwd: dir, env });
      fake.server.injectFault({
        endpoint: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
        match: (request) => request.path.endsWith('/issues/2'),
        times: Number.POSITIVE_INFINITY,
        fault: { kind: 'status', status: 422, body: { message: 'Validation Failed' } },
      });
      const partial = await runBuiltCli(['push'], { cwd: dir, env });
      expect(partial.code, partial.stdout + partial.stderr).toBe(ExitCode.PARTIAL_FAILURE);
      expect(partial.stdout).toContain('Some issues failed; everything else was saved');
      expect(fake.issue(1)?.title).toBe('One, edited');

      // Now the only pending change fails: nothing was done, so it is not "partial".
      const alone = await runBuiltCli(['push'], { cwd: dir, env });
      expect(alone.code, alone.stdout + alone.stderr).toBe(ExitCode.ERROR);
      expect(alone.stderr).toContain('push: nothing could be read or written: update[github:octo/hello:2]');
      expect(alone.stdout).not.toContain('Some issues failed');
    });
  });
});
