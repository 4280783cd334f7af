import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from './command-context';
import { COMMANDS } from './command-list';
import { ExitCode } from './exit-codes';
import { initFileTracker, runCli, tempProject } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

const configFile = () => join(dir, '.spec-kitty', 'tracker.json');

describe('--help of every command', () => {
  const all: { path: string[]; command: Command }[] = COMMANDS.flatMap((command) => [
    { path: [command.name], command },
    ...(command.subcommands ?? []).map((sub) => ({ path: [command.name, sub.name], command: sub })),
  ]);

  it.each(all.map((entry) => [entry.path.join(' '), entry] as const))(
    '%s --help explains each flag and gives an example',
    async (_name, { path, command }) => {
      const run = await runCli([...path, '--help'], { cwd: dir });
      expect(run.code).toBe(ExitCode.OK);
      const lines = run.stdout.split('\n');
      for (const [flag, spec] of Object.entries(command.options)) {
        const line = lines.find((text) => new RegExp(`^\\s+(-\\w, )?--${flag}\\b`).test(text));
        expect(line, `--${flag} in ${path.join(' ')} --help`).toBeDefined();
        expect(line).toContain(spec.description);
        if (spec.values) expect(line).toContain(`Values: ${spec.values}.`);
        if (spec.default) expect(line).toContain(`Default: ${spec.default}.`);
      }
      expect(run.stdout).toMatch(/Examples:\n {2}spec-kitty-tracker /);
      // `help <command>` says the same.
      expect((await runCli(['help', ...path], { cwd: dir })).stdout).toBe(run.stdout);
    },
  );

  it('lists the subcommands of a command that has them', async () => {
    const run = await runCli(['issues', '--help'], { cwd: dir });
    expect(run.stdout).toMatch(/Subcommands:\n\s+list\s+.*\n\s+create\s+/);
  });
});

describe('mistyped commands and flags', () => {
  it('suggests the closest flag', async () => {
    await initFileTracker(dir);
    const run = await runCli(['pull', '--limt', '5'], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain("pull: Unknown option '--limt'. Did you mean --limit?");
    const bind = await runCli(['bind', '--stratgy=local_wins'], { cwd: dir });
    expect(bind.code).toBe(ExitCode.USAGE);
    expect(bind.stderr).toContain('Did you mean --strategy?');
    const far = await runCli(['status', '--frobnicate'], { cwd: dir });
    expect(far.stderr).toContain("Unknown option '--frobnicate'.");
    expect(far.stderr).not.toContain('Did you mean');
  });

  it('suggests the closest command', async () => {
    const run = await runCli(['sycn'], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('Unknown command "sycn". Did you mean sync?');
  });
});

describe('input validation', () => {
  it('gives --limit 0, negative and non-numeric values the same usage error everywhere', async () => {
    await initFileTracker(dir);
    for (const command of ['pull', 'push', 'sync', 'plan']) {
      for (const value of ['0', '-1', '-5', '1.5', 'ten']) {
        const run = await runCli([command, '--limit', value, '--no-progress'], { cwd: dir });
        expect(run.code, `${command} --limit ${value}`).toBe(ExitCode.USAGE);
        expect(run.stderr).toContain(`--limit must be a whole number of at least 1, got "${value}"`);
      }
    }
    const pageSize = await runCli(['bind', '--page-size', '0'], { cwd: dir });
    expect(pageSize.code).toBe(ExitCode.USAGE);
    expect(pageSize.stderr).toContain('--page-size must be a whole number of at least 1');
    const wait = await runCli(['pull', '--wait', '-3'], { cwd: dir });
    expect(wait.code).toBe(ExitCode.USAGE);
    expect(wait.stderr).toContain('--wait must be a whole number of at least 0');
  });

  it('refuses an owner for a field that does not exist, listing the valid fields', async () => {
    await initFileTracker(dir);
    const before = readFileSync(configFile(), 'utf8');
    const run = await runCli(['bind', '--policy', 'split', '--owner', 'colour=local'], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('there is no field "colour". Valid fields: title, body, status, issueType');
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
    const snake = await runCli(['bind', '--owner', 'issue_type=local'], { cwd: dir });
    expect(snake.code, snake.stderr).toBe(ExitCode.OK);
  });

  it('refuses a URL with a credential in it, from bind and in the config file', async () => {
    for (const url of [
      'https://user:glpat-SECRET1234@gitlab.example.com',
      'https://gitlab.example.com/api/v4?private_token=glpat-SECRET1234',
      'https://api.example.com/?access_token=glpat-SECRET1234',
    ]) {
      const run = await runCli(['init', '--force', '--provider', 'gitlab', '--set', `baseUrl=${url}`], {
        cwd: dir,
      });
      expect(run.code, url).toBe(ExitCode.USAGE);
      expect(run.stderr).toContain('is a URL with a credential in it');
      expect(run.stderr + run.stdout).not.toContain('SECRET1234');
      expect(existsSync(configFile())).toBe(false);
    }
  });

  it('treats a whitespace-only token as missing', async () => {
    expect(
      (await runCli(['init', '--provider', 'github', '--workspace', 'octo/hello'], { cwd: dir })).code,
    ).toBe(ExitCode.OK);
    const run = await runCli(['pull'], { cwd: dir, env: { GITHUB_TOKEN: '   \t' } });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('Missing credentials: token (environment variable GITHUB_TOKEN)');
    const flag = await runCli(['pull', '--credential', 'token=  '], { cwd: dir });
    expect(flag.code).toBe(ExitCode.USAGE);
    expect(flag.stderr).toContain('Missing credentials');
  });

  it('conflicts --ack of an id that does not exist is an error', async () => {
    await initFileTracker(dir);
    const run = await runCli(['conflicts', '--ack', '9999'], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('No conflict with id 9999');
    expect(run.stdout).not.toContain('No open conflicts');
  });
});
