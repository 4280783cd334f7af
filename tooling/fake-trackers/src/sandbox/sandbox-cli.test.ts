import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, runSandboxCli } from './sandbox-cli';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    output: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) },
  };
}

let sandbox: RunningSandbox | null = null;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = null;
});

describe('runSandboxCli', () => {
  it('serves on the asked port and prints the URL, credential and bind command for it', async () => {
    const port = await freePort();
    const { out, err, output } = capture();
    sandbox = await runSandboxCli(['gitlab', '--seed', '3', '--port', String(port)], output);
    const project = sandbox?.tracker.workspace;
    const api = `http://127.0.0.1:${port}/api/v4`;
    expect(out).toContain(`GitLab fake listening on ${api}`);
    expect(out).toContain('  export GITLAB_TOKEN=sandbox-gitlab-token');
    expect(out).toContain(
      `  spec-kitty-tracker bind --provider gitlab --workspace ${project} --set baseUrl=${api}`,
    );

    const response = await fetch(`${api}/projects/${project}/issues`, {
      headers: { 'private-token': 'sandbox-gitlab-token' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(3);
    const unauthorized = await fetch(`${api}/projects/${project}/issues`);
    expect(unauthorized.status).toBe(401);

    await sandbox?.stop();
    sandbox = null;
    expect(err.at(-1)).toBe('GitLab fake stopped after 2 requests');
  });

  it('fails with the reason when the port is taken', async () => {
    const { output } = capture();
    sandbox = await runSandboxCli(['gitlab', '--seed', '0'], output);
    const taken = Number(new URL(sandbox?.tracker.url ?? '').port);
    await expect(runSandboxCli(['gitlab', '--port', String(taken)], capture().output)).rejects.toThrow(
      /EADDRINUSE/,
    );
  });

  it('prints usage for --help and starts nothing', async () => {
    const { out, output } = capture();
    expect(await runSandboxCli(['--help'], output)).toBeNull();
    expect(out.join('\n')).toMatch(/Usage: pnpm fake <vendor>/);
  });
});
