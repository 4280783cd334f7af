import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { initFileTracker, runCli, tempProject } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

/** The numbers of the last progress line on stderr. */
function lastProgress(stderr: string) {
  const line =
    stderr
      .trimEnd()
      .split('\n')
      .filter((text) => text.includes('page(s)'))
      .at(-1) ?? '';
  const number = (pattern: RegExp) => Number(pattern.exec(line)?.[1] ?? Number.NaN);
  return {
    read: number(/(\d+) issue\(s\) read/),
    conflicts: number(/(\d+) conflict\(s\)/),
    failures: number(/(\d+) failure\(s\)/),
  };
}

/** The result table's columns by header. */
function table(stdout: string): Record<string, number> {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => line.startsWith('read'));
  const names = lines[header]!.split(/\s{2,}/);
  const values = lines[header + 2]!.split(/\s{2,}/).map(Number);
  return Object.fromEntries(names.map((name, index) => [name, values[index]!]));
}

describe('progress lines and the result table', () => {
  it('agree on issues read, conflicts and failures; "unchanged" is explained', async () => {
    await initFileTracker(
      dir,
      ['--page-size', '2'],
      [
        { id: 'T-1', title: 'One' },
        { id: 'T-2', title: 'Two' },
        { id: 'T-3', title: 'Three' },
      ],
    );
    const first = await runCli(['pull'], { cwd: dir });
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    expect(lastProgress(first.stderr)).toEqual({ read: 3, conflicts: 0, failures: 0 });
    expect(table(first.stdout)).toMatchObject({ read: 3, 'pulled created': 3, conflicts: 0, failures: 0 });
    expect(first.stdout).not.toContain('skipped');

    // The incremental pull re-reads the issues at the watermark (inclusive): read, "unchanged",
    // and the output says why.
    const again = await runCli(['sync'], { cwd: dir });
    const columns = table(again.stdout);
    expect(columns).toMatchObject({ read: 3, unchanged: 3, 'pulled updated': 0, 'pushed updated': 0 });
    expect(lastProgress(again.stderr).read).toBe(3);
    expect(again.stdout).toContain('unchanged: issues read or checked that needed no write');
    expect(again.stdout).toContain('look-back window');
    const json = await runCli(['--json', 'sync'], { cwd: dir });
    const data = json.json<{ issuesRead: number; stats: { skipped: number } }>();
    expect(data.issuesRead).toBe(columns.read);
  });
});
