import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The example third-party connector the guide walks through. */
export const ACME_EXAMPLE = join(ROOT, 'examples/connector-acme');

/** A project outside the workspace with packed tarballs installed by npm, as a user gets them. */
export interface PackedProject {
  /** The project directory (its node_modules holds the CLI, core and the connector). */
  dir: string;
  /** Runs `node_modules/.bin/<bin>` in `cwd` with only PATH, HOME and `env`. */
  exec(bin: string, args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<Exec>;
  /** The CLI's install copied to a separate folder without the connector, as a global install is. */
  cliElsewhere(): string;
  cleanup(): void;
}

/** What a command printed and its exit code. */
export interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Packs every public package (scripts/pack-all.sh rewrites `workspace:` ranges) and the example,
 * then `npm install`s the tarballs into an empty project in the temp folder. Third-party
 * dependencies come from the registry; none of ours may.
 */
export async function installPackedProject(): Promise<PackedProject> {
  const work = mkdtempSync(join(tmpdir(), 'sk-third-party-'));
  const tarballs = join(work, 'tarballs');
  await run('bash', [join(ROOT, 'scripts/pack-all.sh'), tarballs], { cwd: ROOT, maxBuffer: 1 << 24 });
  await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: ACME_EXAMPLE });
  const dir = join(work, 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{ "name": "acme-user", "private": true, "type": "module" }\n');
  const files = readdirSync(tarballs)
    .filter((name) => name.endsWith('.tgz'))
    .map((name) => join(tarballs, name));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], {
    cwd: dir,
    maxBuffer: 1 << 24,
  });
  const exec = (bin: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
    new Promise<Exec>((resolve) => {
      execFile(
        join(dir, 'node_modules/.bin', bin),
        args,
        {
          cwd: options.cwd ?? dir,
          env: { PATH: process.env.PATH ?? '', HOME: work, ...options.env },
          timeout: 240_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    dir,
    exec,
    cliElsewhere() {
      const tool = join(work, 'global-cli');
      cpSync(join(dir, 'node_modules'), join(tool, 'node_modules'), {
        recursive: true,
        verbatimSymlinks: true,
      });
      rmSync(join(tool, 'node_modules/acme-tracker-connector'), { recursive: true, force: true });
      return join(tool, 'node_modules/@spec-kitty/cli/dist/bin.js');
    },
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
