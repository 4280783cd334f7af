import { rmSync } from 'node:fs';
import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import type { CommandRunner } from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createFakeCliBinDir, createFpWorkspace, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { FPConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

runConnectorConformance({
  name: 'FPConnector against the fake fp CLI',
  workspace: 'conformance',
  missingRef: { system: 'fp', workspace: 'conformance', id: 'FP-missing', key: null, url: null },
  factory: () => {
    const ws = createFpWorkspace({ prefix: 'CONF' });
    // Fault variables for the fake fp, set by failReads for every following command.
    let faults: Record<string, string> = {};
    const runner: CommandRunner = {
      run: (command, options) =>
        new SubprocessCommandRunner({ env: { ...env, ...faults }, provider: 'fp' }).run(command, options),
    };
    const connector = new FPConnector({ cwd: ws.dir, workspace: 'conformance' }, { runner });
    return {
      connector,
      removeIssue: (ref) => {
        const state = ws.readState() as { issues: Record<string, unknown> };
        delete state.issues[ref.id];
        ws.writeState(state);
        return 'deleted';
      },
      failReads: () => {
        faults = { FAKE_FP_FAULT: 'crash:2@issue list' };
      },
      cleanup: () => rmSync(ws.dir, { recursive: true, force: true }),
    };
  },
  skip: {
    updatedSince: 'fp prints no timestamps in its text output; updatedSince is ignored like the original',
    updateFields: 'fp updates only status/priority/dependencies (the original refuses title/body)',
    labels: 'fp has no labels in the original contract (labels patch is refused)',
  },
});
