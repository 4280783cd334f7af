import { existsSync } from 'node:fs';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { configPathFor, loadConfig, storePathOf } from './cli-config';
import { type Command, emitJson, GLOBAL_FLAGS, parseCommandArgs, say } from './command-context';
import { ExitCode, UsageError } from './exit-codes';

export const unlockCommand: Command = {
  name: 'unlock',
  summary: 'Clear a run lock left by a process that no longer exists',
  usage: 'unlock [options]',
  options: GLOBAL_FLAGS,
  examples: ['unlock'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('unlock', ctx.args, GLOBAL_FLAGS);
    if (positionals.length > 0)
      throw new UsageError(`unlock: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const path = storePathOf(loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag)));
    if (!existsSync(path)) {
      emitJson(ctx, { command: 'unlock', released: null });
      say(ctx, 'No store yet, so no lock.');
      return ExitCode.OK;
    }
    const store = SqliteIssueStore.open(path);
    try {
      const released = store.forceReleaseRunLock();
      emitJson(ctx, { command: 'unlock', released });
      say(
        ctx,
        released
          ? `Released the lock of \`${released.command}\` (pid ${released.pid} on ${released.hostname}).`
          : 'The store was not locked.',
      );
      return ExitCode.OK;
    } finally {
      store.close();
    }
  },
};
