import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const modules = new URL('../node_modules/', import.meta.url);
/** The sandbox launcher behind `pnpm fake`. */
export const FAKE_TRACKER_BIN = fileURLToPath(
  new URL('@spec-kitty/fake-trackers/bin/fake-tracker.mjs', modules),
);
/**
 * The built CLI, by path: a workspace dependency on @spec-kitty/cli would make pnpm warn about its
 * missing bin on every fresh install. turbo.json builds it before this package's tests.
 */
export const CLI_BIN = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

/** What `pnpm fake <vendor> --json` prints. */
export interface SandboxInfo {
  vendor: string;
  url: string;
  provider: string;
  workspace: string;
  env: Record<string, string>;
  /** `bind` and its arguments, as printed for the user. */
  bind: string[];
  bindCommand: string;
  seeded: number;
}

export interface RunningSandbox {
  info: SandboxInfo;
  /** Stops the sandbox with SIGINT (as Ctrl-C does) and returns what it printed on stderr. */
  stop(): Promise<string>;
}

/** Starts `fake-tracker <args> --json` and waits for its JSON line. */
export async function startSandbox(args: string[]): Promise<RunningSandbox> {
  const child: ChildProcess = spawn(process.execPath, [FAKE_TRACKER_BIN, ...args, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n');
      if (end >= 0) resolve(stdout.slice(0, end));
    });
    void exited.then(([code]) =>
      reject(new Error(`sandbox exited with ${code} before starting:\n${stderr}`)),
    );
  });
  return {
    info: JSON.parse(line) as SandboxInfo,
    async stop() {
      child.kill('SIGINT');
      await exited;
      return stderr;
    },
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in `cwd` with only PATH and `env` in its environment. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A throwaway project directory. */
export function tempProject(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sk-sandbox-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
