import { existsSync } from 'node:fs';
import { basename } from 'node:path';

/** How to install the CLIs that first-party local connectors drive, keyed by executable name. */
export const EXECUTABLE_INSTALL_HINTS: Readonly<Record<string, string>> = Object.freeze({
  bd: 'install Beads (https://github.com/steveyegge/beads, e.g. `brew install beads` or `npm install -g @beads/bd`)',
  fp: 'install fp (`curl -fsSL https://setup.fp.dev/install.sh | sh -s`)',
});

/** The message for a spawn ENOENT: names the executable (or the missing cwd) and what to do. */
export function executableNotFoundMessage(executable: string, cwd: string | undefined): string {
  if (cwd !== undefined && !existsSync(cwd)) {
    return (
      `Command failed: ${executable} :: working directory does not exist: ${cwd}; ` +
      `set the connector's "cwd" option to the repository that holds the tracker data`
    );
  }
  const hint = EXECUTABLE_INSTALL_HINTS[basename(executable)];
  const install = hint === undefined ? 'install it' : hint;
  const where = executable.includes('/') || executable.includes('\\') ? 'no such file' : 'not on PATH';
  return (
    `Executable not found: ${executable} (${where}` +
    (cwd === undefined ? '' : `, cwd ${cwd}`) +
    `); ${install}, or set the connector's "command" option to the executable's full path` +
    (process.platform === 'win32' ? ' (on Windows, the .exe; .cmd shims cannot run without a shell)' : '')
  );
}
