import { configPathFor, loadConfig, openProjectStore } from './cli-config';
import { type Command, emitJson, parseCommandArgs, say } from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { brief, renderTable } from './table';

export const conflictsCommand: Command = {
  name: 'conflicts',
  summary: 'List conflicts from past runs; acknowledge reviewed ones',
  usage: 'conflicts [--all] [--review-only] [--ack ID]… [--ack-all] [--json]',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('conflicts', ctx.args, {
      json: { type: 'boolean' },
      config: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      all: { type: 'boolean' },
      'review-only': { type: 'boolean' },
      ack: { type: 'string', multiple: true },
      'ack-all': { type: 'boolean' },
    });
    if (positionals.length > 0)
      throw new UsageError(`conflicts: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const store = openProjectStore(loaded);
    try {
      let acknowledged = 0;
      if (values['ack-all']) acknowledged = await store.acknowledgeConflicts();
      else if (values.ack) {
        const ids = values.ack.map((id) => {
          const number = Number(id);
          if (!Number.isInteger(number) || number <= 0)
            throw new UsageError(`--ack expects a conflict id, got ${JSON.stringify(id)}.`);
          return number;
        });
        acknowledged = await store.acknowledgeConflicts(ids);
      }
      const conflicts = await store.listConflicts({
        includeAcknowledged: values.all ?? false,
        manualReviewOnly: values['review-only'] ?? false,
      });
      const needingReview = conflicts.filter(
        (conflict) => conflict.manualReviewRequired && conflict.acknowledgedAt === null,
      );
      emitJson(ctx, { command: 'conflicts', acknowledged, conflicts, needingReview: needingReview.length });
      if (acknowledged > 0) say(ctx, `Acknowledged ${acknowledged} conflict(s).`);
      if (conflicts.length === 0) say(ctx, 'No open conflicts.');
      else
        say(
          ctx,
          renderTable(
            ['id', 'run', 'issue', 'field', 'local', 'external', 'resolved', 'strategy', 'review'],
            conflicts.map((conflict) => [
              conflict.id,
              conflict.runId,
              conflict.issueIdentity ?? '',
              conflict.fieldName,
              brief(conflict.localValue, 24),
              brief(conflict.externalValue, 24),
              brief(conflict.resolvedValue, 24),
              conflict.strategy,
              conflict.acknowledgedAt ? 'acknowledged' : conflict.manualReviewRequired ? 'NEEDED' : 'no',
            ]),
          ),
        );
      if (needingReview.length > 0) {
        say(
          ctx,
          `\n${needingReview.length} conflict(s) need review. Fix the issue, then \`spec-kitty-tracker conflicts --ack <id>\`.`,
        );
        return ExitCode.CONFLICTS;
      }
      return ExitCode.OK;
    } finally {
      store.close();
    }
  },
};
