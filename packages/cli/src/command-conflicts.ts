import { configPathFor, loadConfig, openProjectStore } from './cli-config';
import {
  type Command,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  parseCommandArgs,
  say,
} from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { brief, renderTable } from './table';

const OPTIONS = {
  ...GLOBAL_FLAGS,
  all: { type: 'boolean', description: 'include acknowledged conflicts', default: 'open ones only' },
  'review-only': {
    type: 'boolean',
    description: 'only conflicts that need manual review',
    default: 'every open conflict',
  },
  ack: {
    type: 'string',
    multiple: true,
    placeholder: 'ID',
    description: 'acknowledge a reviewed conflict (an id from the list)',
  },
  'ack-all': { type: 'boolean', description: 'acknowledge every open conflict' },
} as const satisfies FlagSpecs;

export const conflictsCommand: Command = {
  name: 'conflicts',
  summary: 'List conflicts from past runs; acknowledge reviewed ones',
  usage: 'conflicts [options]',
  options: OPTIONS,
  examples: ['conflicts', 'conflicts --review-only --json', 'conflicts --ack 3 --ack 4'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('conflicts', ctx.args, OPTIONS);
    if (positionals.length > 0)
      throw new UsageError(`conflicts: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const store = openProjectStore(loaded);
    try {
      let acknowledged = 0;
      if (values['ack-all']) acknowledged = await store.acknowledgeConflicts();
      else if (values.ack) {
        const ids = values.ack.map((id) => parseConflictId(id, '--ack'));
        const known = new Set((await store.listConflicts({ includeAcknowledged: true })).map((c) => c.id));
        const missing = ids.filter((id) => !known.has(id));
        if (missing.length > 0) {
          throw new UsageError(
            `No conflict with id ${missing.join(', ')}. See the ids with \`spec-kitty-tracker conflicts --all\`.`,
          );
        }
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

function parseConflictId(text: string, flag: string): number {
  const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new UsageError(
      `${flag} expects a conflict id (a whole number from \`conflicts\`), got ${JSON.stringify(text)}.`,
    );
  return id;
}
