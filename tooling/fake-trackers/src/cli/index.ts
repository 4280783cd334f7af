// Fake `bd` and `fp` executables (real processes, state in a folder) and helpers to set them up.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'bin');

export type FakeCliName = 'bd' | 'fp';

/** Absolute paths of the fake executables (Node scripts with a shebang and the executable bit). */
export function fakeCliPaths(): Readonly<Record<FakeCliName, string>> {
  const paths = { bd: join(BIN_DIR, 'bd.mjs'), fp: join(BIN_DIR, 'fp.mjs') };
  for (const path of Object.values(paths)) ensureExecutable(path);
  return paths;
}

function ensureExecutable(path: string): void {
  try {
    chmodSync(path, 0o755);
  } catch {
    // read-only checkouts keep whatever mode git gave them
  }
}

/**
 * Creates (or fills) a directory holding `bd` and `fp` symlinks to the fakes, for `PATH`.
 * Returns the directory.
 */
export function createFakeCliBinDir(dir: string = mkdtempSync(join(tmpdir(), 'fake-cli-bin-'))): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(fakeCliPaths())) {
    const link = join(dir, name);
    if (!existsSync(link)) symlinkSync(target, link);
  }
  return dir;
}

/** `env` (default `process.env`) with the fake bin dir first on PATH, plus `extra` variables. */
export function fakeCliEnv(
  binDir: string = createFakeCliBinDir(),
  extra: Readonly<Record<string, string>> = {},
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const cleaned: NodeJS.ProcessEnv = { ...env };
  // Never let a developer's own bd/fp settings leak into the fakes.
  for (const key of [
    'BEADS_DIR',
    'BD_JSON_ENVELOPE',
    'BD_JSON',
    'FAKE_CLI_FAULT',
    'FAKE_BD_FAULT',
    'FAKE_FP_FAULT',
  ]) {
    delete cleaned[key];
  }
  return { ...cleaned, PATH: `${binDir}${delimiter}${env.PATH ?? ''}`, ...extra };
}

/** A fault the fakes apply to matching invocations; see README "Fault injection". */
export interface FakeCliFault {
  kind: 'slow' | 'hang' | 'crash' | 'kill' | 'huge' | 'garbage' | 'stderr';
  /** slow: ms; crash: exit code; huge: bytes of padding; stderr: text. */
  arg?: string | number;
  /** Command path prefix, e.g. 'list', 'dep add', 'issue show'; default every command. */
  match?: string;
  /** Apply to this many matching calls, then disarm; default every call. */
  times?: number;
}

export interface FakeCliCall {
  tool: FakeCliName;
  argv: string[];
  cwd: string;
}

export interface FakeWorkspace {
  /** Repository root (run the CLI with this cwd). */
  readonly dir: string;
  /** The `.beads` / `.fp` folder holding the fake's state, call log and armed faults. */
  readonly stateDir: string;
  /** Every invocation so far, in order (argv without the executable). */
  calls(): FakeCliCall[];
  /** Forget the call log. */
  clearCalls(): void;
  /** Arm faults for the next invocations (replaces previously armed ones). */
  armFaults(faults: readonly FakeCliFault[]): void;
  /** The raw state file (shape is the fake's own; useful for assertions). */
  readState(): Record<string, unknown>;
  /** Replace the raw state, e.g. to plant a payload the CLI itself would never write. */
  writeState(state: Record<string, unknown>): void;
}

function workspace(dir: string, stateDir: string, stateFile: string): FakeWorkspace {
  const callsFile = join(stateDir, 'calls.jsonl');
  return {
    dir,
    stateDir,
    calls: () =>
      existsSync(callsFile)
        ? readFileSync(callsFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as FakeCliCall)
        : [],
    clearCalls: () => writeFileSync(callsFile, ''),
    armFaults: (faults) =>
      writeFileSync(
        join(stateDir, 'faults.json'),
        JSON.stringify(faults.map((f) => ({ ...f, arg: f.arg === undefined ? null : String(f.arg) }))),
      ),
    readState: () => JSON.parse(readFileSync(join(stateDir, stateFile), 'utf8')) as Record<string, unknown>,
    writeState: (state) => writeFileSync(join(stateDir, stateFile), JSON.stringify(state, null, 2)),
  };
}

export interface BeadsWorkspaceOptions {
  /** Issue id prefix (default 'bd'). */
  prefix?: string;
  /** `bd config` entries, e.g. `{ 'linear.api_key': '…' }` to simulate bd's own tracker sync. */
  config?: Readonly<Record<string, string>>;
  /** Root directory (default a new temp dir); `.beads/` is created inside. */
  dir?: string;
}

/** A repository with an initialised fake Beads database in `<dir>/.beads/`. */
export function createBeadsWorkspace(options: BeadsWorkspaceOptions = {}): FakeWorkspace {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fake-beads-'));
  const prefix = options.prefix ?? 'bd';
  const stateDir = join(dir, '.beads');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const state = {
    version: 1,
    prefix,
    config: { issue_prefix: prefix, ...options.config },
    issues: {},
    deps: [],
    comments: [],
    seq: 0,
    childSeq: {},
  };
  writeFileSync(join(stateDir, 'fake-bd.json'), JSON.stringify(state, null, 2));
  return workspace(dir, stateDir, 'fake-bd.json');
}

export interface FpWorkspaceOptions {
  /** Issue id prefix (default 'FP'). */
  prefix?: string;
  /** Registered statuses (default todo, in-progress, done). */
  statuses?: readonly string[];
  dir?: string;
}

/** A repository with an initialised fake fp project in `<dir>/.fp/`. */
export function createFpWorkspace(options: FpWorkspaceOptions = {}): FakeWorkspace {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fake-fp-'));
  const stateDir = join(dir, '.fp');
  mkdirSync(join(stateDir, 'issues'), { recursive: true });
  const state = {
    version: 1,
    prefix: options.prefix ?? 'FP',
    statuses: [...(options.statuses ?? ['todo', 'in-progress', 'done'])],
    issues: {},
    order: [],
    comments: [],
    seq: 0,
  };
  writeFileSync(join(stateDir, 'fake-fp.json'), JSON.stringify(state, null, 2));
  return workspace(dir, stateDir, 'fake-fp.json');
}
