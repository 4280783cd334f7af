import {
  type CanonicalIssue,
  CanonicalStatus,
  CORE_ISSUE_FIELDS,
  cloneIssue,
  coreFieldEqual,
  isCanonicalStatus,
  issueToJSON,
  localCanWrite,
  ownerFor,
  refIdentity,
} from '@spec-kitty/core';
import { configPathFor, loadConfig, openProjectStore, policyOf } from './cli-config';
import {
  type Command,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  parseCommandArgs,
  say,
  warn,
} from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { parsePriority } from './issue-fields';
import { findStoredIssue } from './issue-lookup';
import { describeGone } from './tombstone-view';

const OPTIONS = {
  ...GLOBAL_FLAGS,
  title: { type: 'string', placeholder: 'T', description: 'set the title', default: 'unchanged' },
  body: { type: 'string', placeholder: 'B', description: 'set the description', default: 'unchanged' },
  status: {
    type: 'string',
    placeholder: 'S',
    description: 'set the status',
    values: Object.values(CanonicalStatus).join('|'),
    default: 'unchanged',
  },
  priority: {
    type: 'string',
    placeholder: 'P',
    description: 'set the priority (0 highest)',
    values: '0-4|none',
    default: 'unchanged',
  },
  'add-label': { type: 'string', multiple: true, placeholder: 'L', description: 'add a label' },
  'remove-label': { type: 'string', multiple: true, placeholder: 'L', description: 'remove a label' },
  assignee: {
    type: 'string',
    multiple: true,
    placeholder: 'A',
    description: 'replace the assignees with these',
    default: 'unchanged',
  },
} as const satisfies FlagSpecs;

export const editCommand: Command = {
  name: 'edit',
  summary: 'Edit an issue in the local store (pushed by the next push/sync)',
  usage: 'edit <issue> [options]   (issue: #12, PROJ-3, an id, or system:workspace:id)',
  options: OPTIONS,
  examples: [
    "edit '#12' --status in_progress --add-label wip",
    'edit PROJ-3 --title "Better title" --priority 1',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('edit', ctx.args, OPTIONS);
    const [reference, ...extra] = positionals;
    if (reference === undefined || extra.length > 0)
      throw new UsageError(`edit needs exactly one issue. Usage: spec-kitty-tracker ${this.usage}`);
    if (values.status !== undefined && !isCanonicalStatus(values.status)) {
      throw new UsageError(
        `--status must be one of ${Object.values(CanonicalStatus).join(', ')}, got ${JSON.stringify(values.status)}.`,
      );
    }
    const priority = parsePriority(values.priority);
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const policy = policyOf(loaded.config);
    const store = openProjectStore(loaded);
    try {
      const issue = await findStoredIssue(store, reference, loaded.config.provider);
      const tombstone = await store.getTombstone(issue.ref);
      if (tombstone !== null) {
        throw new UsageError(
          `${refIdentity(issue.ref)} is ${tombstone.origin === 'local' ? 'deleted locally' : `gone from the tracker (${describeGone(tombstone)})`}: an edit would never be pushed. See \`spec-kitty-tracker issues --include-gone\`.`,
        );
      }
      let labels = [...issue.labels];
      for (const label of values['add-label'] ?? []) if (!labels.includes(label)) labels.push(label);
      const removals = new Set(values['remove-label'] ?? []);
      labels = labels.filter((label) => !removals.has(label));
      const changes: Partial<CanonicalIssue> = {
        ...(values.title !== undefined && { title: values.title }),
        ...(values.body !== undefined && { body: values.body }),
        ...(values.status !== undefined && { status: values.status as CanonicalStatus }),
        ...(priority !== undefined && { priority }),
        ...(values.assignee !== undefined && { assignees: values.assignee }),
        labels,
        updatedAt: new Date(),
      };
      const edited = cloneIssue(issue, changes);
      const changed = CORE_ISSUE_FIELDS.filter((field) => !coreFieldEqual(field, issue, edited));
      // Said before the push, not after: a field the tracker owns never leaves this store.
      const trackerOwned = changed.filter((field) => !localCanWrite(policy, field));
      await store.upsertIssue(edited);
      emitJson(ctx, {
        command: 'edit',
        issue: issueToJSON(edited),
        changedFields: changed,
        trackerOwnedFields: trackerOwned,
      });
      for (const field of trackerOwned) {
        warn(
          ctx,
          `${field} is owned by the tracker (policy ${policy.mode}${ownerFor(policy, field) === 'external' && policy.mode === 'split_ownership' ? `, --owner ${field}=external` : ''}): push will not send this change, and the next pull or sync replaces it with the tracker's value. To send it, \`spec-kitty-tracker bind --policy split --owner ${field}=shared\`.`,
        );
      }
      const pushed = changed.filter((field) => localCanWrite(policy, field));
      say(
        ctx,
        changed.length === 0
          ? `Nothing changed in ${refIdentity(edited.ref)}.`
          : pushed.length === 0
            ? `Edited ${refIdentity(edited.ref)} locally; push will not send it (the tracker owns ${trackerOwned.join(', ')}).`
            : `Edited ${refIdentity(edited.ref)} locally; \`spec-kitty-tracker push\` sends ${pushed.join(', ')} to ${edited.ref.system}.`,
      );
      return ExitCode.OK;
    } finally {
      store.close();
    }
  },
};
