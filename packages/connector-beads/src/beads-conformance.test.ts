import { rmSync } from 'node:fs';
import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import type { CommandRunner } from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createBeadsWorkspace, createFakeCliBinDir, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { BeadsConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

runConnectorConformance({
  name: 'BeadsConnector against the fake bd CLI',
  workspace: 'conformance',
  factory: () => {
    const ws = createBeadsWorkspace({ prefix: 'conf' });
    // Fault variables for the fake bd, set by failReads for every following command.
    let faults: Record<string, string> = {};
    const runner: CommandRunner = {
      run: (command, options) =>
        new SubprocessCommandRunner({ env: { ...env, ...faults }, provider: 'beads' }).run(command, options),
    };
    const connector = new BeadsConnector({ cwd: ws.dir, workspace: 'conformance' }, { runner });
    return {
      connector,
      removeIssue: (ref) => {
        const state = ws.readState() as { issues: Record<string, unknown> };
        delete state.issues[ref.id];
        ws.writeState(state);
        return 'deleted';
      },
      failReads: () => {
        faults = { FAKE_BD_FAULT: 'crash:2@show' };
      },
      cleanup: () => rmSync(ws.dir, { recursive: true, force: true }),
    };
  },
});
