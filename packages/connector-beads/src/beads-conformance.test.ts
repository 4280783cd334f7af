import { rmSync } from 'node:fs';
import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createBeadsWorkspace, createFakeCliBinDir, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { BeadsConnector } from './index';

const env = fakeCliEnv(createFakeCliBinDir());

runConnectorConformance({
  name: 'BeadsConnector against the fake bd CLI',
  workspace: 'conformance',
  factory: () => {
    const ws = createBeadsWorkspace({ prefix: 'conf' });
    const connector = new BeadsConnector(
      { cwd: ws.dir, workspace: 'conformance' },
      { runner: new SubprocessCommandRunner({ env, provider: 'beads' }) },
    );
    return { connector, cleanup: () => rmSync(ws.dir, { recursive: true, force: true }) };
  },
});
