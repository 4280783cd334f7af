import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CanonicalIssueType, CanonicalStatus, createIssue, createRef, issueToJSON } from '@spec-kitty/core';
import type { CliIO } from './cli-io';
import { main } from './main';

export const BUILT_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
export const FILE_TRACKER_URL = pathToFileURL(
  fileURLToPath(new URL('../test-fixtures/file-tracker.mjs', import.meta.url)),
).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

function finish(code: number, stdout: string, stderr: string): CliRun {
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/** Runs `main()` in this process with captured streams. */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty ?? false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.tty ?? false, columns: 120 },
  };
  const code = await main(args, io);
  return finish(code, stdout, stderr);
}

/** Runs the built `dist/bin.js` as a subprocess (run `pnpm build` first; turbo's test task does). */
export function runBuiltCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_BIN, ...args],
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve(finish(code, stdout, stderr));
      },
    );
  });
}

export function tempProject(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'spec-kitty-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a file-tracker state file holding `seed` (all `todo` tasks updated 2026-01-01). */
export function writeFileTrackerState(file: string, seed: readonly { id: string; title: string }[]): void {
  writeFileSync(
    file,
    JSON.stringify(
      seed.map((item) =>
        issueToJSON(
          createIssue({
            ref: createRef({ system: 'file-tracker', workspace: 'files', id: item.id, key: item.id }),
            title: item.title,
            status: CanonicalStatus.TODO,
            issueType: CanonicalIssueType.TASK,
            updatedAt: new Date('2026-01-01T00:00:00.000Z'),
          }),
        ),
      ),
    ),
  );
}

/** `init` bound to the file-backed test tracker (seeded with `seed`); returns the tracker file. */
export async function initFileTracker(
  dir: string,
  extra: readonly string[] = [],
  seed: readonly { id: string; title: string }[] = [],
): Promise<string> {
  const trackerFile = join(dir, 'tracker-state.json');
  writeFileTrackerState(trackerFile, seed);
  const run = await runCli(
    [
      'init',
      '--provider',
      'file-tracker',
      '--connector-package',
      FILE_TRACKER_URL,
      '--set',
      `file=${trackerFile}`,
      ...extra,
    ],
    { cwd: dir },
  );
  if (run.code !== 0) throw new Error(`init failed (${run.code}): ${run.stderr}`);
  return trackerFile;
}
