import { ConflictResolutionError, type StoredConflict } from '@spec-kitty/store-sqlite';
import { configPathFor, loadConfig, openProjectStore } from './cli-config';
import {
  type Command,
  type CommandContext,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  parseCommandArgs,
  say,
} from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { brief, renderTable } from './table';

const LIST_OPTIONS = {
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

/** A manual-review conflict nobody has decided or acknowledged yet: `conflicts` exits 4 for it. */
export function awaitsDecision(conflict: StoredConflict): boolean {
  return conflict.manualReviewRequired && conflict.acknowledgedAt === null && conflict.resolution === null;
}

function reviewState(conflict: StoredConflict): string {
  if (conflict.resolution?.appliedAt) return 'resolved (applied)';
  if (conflict.resolution) return 'resolved: next sync applies it';
  if (conflict.acknowledgedAt) return 'acknowledged';
  if (conflict.pending) return 'NEEDED (written to neither side)';
  return conflict.manualReviewRequired ? 'NEEDED' : 'no';
}

async function listConflicts(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('conflicts', ctx.args, LIST_OPTIONS);
  if (positionals.length > 0)
    throw new UsageError(
      `conflicts: unexpected argument ${JSON.stringify(positionals[0])}. Subcommands: list, resolve.`,
    );
  const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
  const store = openProjectStore(loaded);
  try {
    let acknowledged = 0;
    if (values['ack-all']) acknowledged = await store.acknowledgeConflicts();
    else if (values.ack) {
      const ids = values.ack.map((id) => parseConflictId(id, '--ack'));
      const missing: number[] = [];
      for (const id of ids) if ((await store.getConflict(id)) === null) missing.push(id);
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
    const needingReview = conflicts.filter(awaitsDecision);
    emitJson(ctx, { command: 'conflicts', acknowledged, conflicts, needingReview: needingReview.length });
    if (acknowledged > 0) say(ctx, `Acknowledged ${acknowledged} conflict(s).`);
    if (conflicts.length === 0) say(ctx, 'No open conflicts.');
    else
      say(
        ctx,
        renderTable(
          ['id', 'run', 'issue', 'field', 'local', 'external', 'kept', 'strategy', 'review'],
          conflicts.map((conflict) => [
            conflict.id,
            conflict.runId,
            conflict.issueIdentity ?? '',
            conflict.fieldName,
            brief(conflict.localValue, 24),
            brief(conflict.externalValue, 24),
            brief(conflict.resolution ? conflict.resolution.value : conflict.resolvedValue, 24),
            conflict.strategy,
            reviewState(conflict),
          ]),
        ),
      );
    if (needingReview.length > 0) {
      say(
        ctx,
        `\n${needingReview.length} conflict(s) need a decision: \`spec-kitty-tracker conflicts resolve <id> --take local|tracker\` (or --value JSON); the next sync writes it to both sides. Or fix the issue yourself, then \`conflicts --ack <id>\`.`,
      );
      return ExitCode.CONFLICTS;
    }
    return ExitCode.OK;
  } finally {
    store.close();
  }
}

const listSubcommand: Command = {
  name: 'list',
  summary: 'List open conflicts (the default); exits 4 while any awaits a decision',
  usage: 'conflicts [list] [options]',
  options: LIST_OPTIONS,
  examples: ['conflicts', 'conflicts --review-only --json', 'conflicts --ack 3 --ack 4'],
  run: listConflicts,
};

const RESOLVE_OPTIONS = {
  ...GLOBAL_FLAGS,
  take: {
    type: 'string',
    placeholder: 'SIDE',
    description: "keep this side's value on both sides",
    values: 'local|tracker',
  },
  value: {
    type: 'string',
    placeholder: 'JSON',
    description: 'keep this value on both sides instead (JSON; text that is not JSON is a string)',
    values: 'a value of the field, e.g. \'"New title"\', \'["bug","ui"]\', 2',
  },
} as const satisfies FlagSpecs;

/** `--value`: JSON when it parses, else the text itself (like `bind --set`). */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function resolveConflict(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('conflicts resolve', ctx.args, RESOLVE_OPTIONS);
  const [idText, ...extra] = positionals;
  if (idText === undefined || extra.length > 0)
    throw new UsageError(
      'conflicts resolve needs exactly one conflict id (see `spec-kitty-tracker conflicts`).',
    );
  const id = parseConflictId(idText, 'conflicts resolve');
  if ((values.take === undefined) === (values.value === undefined))
    throw new UsageError('conflicts resolve needs either --take local|tracker or --value JSON.');
  if (values.take !== undefined && values.take !== 'local' && values.take !== 'tracker')
    throw new UsageError(`--take must be local or tracker, got ${JSON.stringify(values.take)}.`);
  const decision =
    values.take !== undefined
      ? { take: values.take as 'local' | 'tracker' }
      : { value: parseValue(values.value!) };
  const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
  const store = openProjectStore(loaded);
  try {
    let conflict: StoredConflict;
    try {
      conflict = await store.resolveConflict(id, decision);
    } catch (error) {
      if (!ConflictResolutionError.isInstance(error)) throw error;
      if (error.reason === 'not_found')
        throw new UsageError(
          `No conflict with id ${id}. See the ids with \`spec-kitty-tracker conflicts --all\`.`,
        );
      throw new UsageError(error.message.replace(/ List the open ones with listConflicts\(\)\.?/, ''));
    }
    emitJson(ctx, { command: 'conflicts resolve', conflict });
    say(
      ctx,
      `Conflict ${id} (${conflict.issueIdentity ?? 'no issue'} ${conflict.fieldName}) resolved to ${brief(conflict.resolution?.value, 60)}; the next \`spec-kitty-tracker sync\` (or push/pull) writes it to both sides.`,
    );
    return ExitCode.OK;
  } finally {
    store.close();
  }
}

const resolveSubcommand: Command = {
  name: 'resolve',
  summary: 'Decide a manual-review conflict; the next run writes the value to both sides',
  usage: 'conflicts resolve <id> (--take local|tracker | --value JSON) [options]',
  options: RESOLVE_OPTIONS,
  examples: ['conflicts resolve 3 --take tracker', 'conflicts resolve 4 --value \'"Agreed title"\''],
  run: resolveConflict,
};

export const conflictsCommand: Command = {
  name: 'conflicts',
  summary: 'List conflicts; resolve or acknowledge the ones that need review',
  usage: 'conflicts [list|resolve] [options]',
  options: LIST_OPTIONS,
  examples: ['conflicts', 'conflicts resolve 3 --take local', 'conflicts --ack 3'],
  subcommands: [listSubcommand, resolveSubcommand],
  run: listConflicts,
};

function parseConflictId(text: string, flag: string): number {
  const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new UsageError(
      `${flag} expects a conflict id (a whole number from \`conflicts\`), got ${JSON.stringify(text)}.`,
    );
  return id;
}
