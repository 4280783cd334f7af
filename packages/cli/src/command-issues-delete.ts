import { refIdentity, type TombstoneRecord } from '@spec-kitty/core';
import { configPathFor, loadConfig, openProjectStore } from './cli-config';
import { type Command, emitJson, GLOBAL_FLAGS, parseCommandArgs, say } from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { findStoredIssue } from './issue-lookup';
import { isDraftRef } from './local-drafts';
import { describeTombstone, tombstoneToJSON } from './tombstone-view';

const DELETE_OPTIONS = GLOBAL_FLAGS;

/** What an existing tombstone means for a second `issues delete`. */
function alreadyGone(identity: string, record: TombstoneRecord): string {
  if (record.origin === 'remote')
    return `${identity} is already gone from the tracker (${describeTombstone(record)}); nothing to do.`;
  return record.pushed
    ? `${identity} is already deleted, and closed on the tracker; nothing to do.`
    : `${identity} is already deleted locally; \`spec-kitty-tracker push\` closes it on the tracker.`;
}

export const deleteSubcommand: Command = {
  name: 'delete',
  summary: 'Delete an issue locally; the next push closes it on the tracker as canceled',
  usage: 'issues delete <issue> [options]   (issue: #12, PROJ-3, an id, or system:workspace:id)',
  options: DELETE_OPTIONS,
  examples: ["issues delete '#12'", 'issues delete github:octo/hello:12 --json'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('issues delete', ctx.args, DELETE_OPTIONS);
    const [reference, ...extra] = positionals;
    if (reference === undefined || extra.length > 0)
      throw new UsageError(`issues delete needs exactly one issue. Usage: spec-kitty-tracker ${this.usage}`);
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const store = openProjectStore(loaded);
    try {
      const issue = await findStoredIssue(store, reference, loaded.config.provider);
      const identity = refIdentity(issue.ref);
      const existing = await store.getTombstone(issue.ref);
      if (existing !== null) {
        emitJson(ctx, {
          command: 'issues delete',
          issue: identity,
          alreadyDeleted: true,
          tombstone: tombstoneToJSON(existing),
        });
        say(ctx, alreadyGone(identity, existing));
        return ExitCode.OK;
      }
      // A draft the tracker never received has nothing to close there: its tombstone is final.
      const neverPushed = isDraftRef(issue.ref) && (await store.getSyncBase(issue.ref)) === null;
      const record: TombstoneRecord = {
        ref: issue.ref,
        reason: 'deleted',
        movedTo: null,
        observedAt: new Date().toISOString(),
        origin: 'local',
        pushed: neverPushed,
      };
      await store.putTombstone(record);
      emitJson(ctx, {
        command: 'issues delete',
        issue: identity,
        alreadyDeleted: false,
        tombstone: tombstoneToJSON(record),
        willBeClosed: !neverPushed,
      });
      if (neverPushed) {
        say(ctx, `Deleted ${identity}; it was never created on the tracker, so nothing is closed there.`);
      } else {
        // Closing is how a deletion reaches the tracker whatever the ownership policy: the user
        // asked for it explicitly. A connector without a terminal transition reports a failure.
        say(
          ctx,
          `Deleted ${identity} locally (the issue stays in the store, marked gone); \`spec-kitty-tracker push\` closes it on ${issue.ref.system} as canceled.`,
        );
      }
      return ExitCode.OK;
    } finally {
      store.close();
    }
  },
};
