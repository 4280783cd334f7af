import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  isCanonicalIssueType,
  isCanonicalStatus,
  issueToJSON,
  localCanWrite,
  refIdentity,
} from '@spec-kitty/core';
import { configPathFor, loadConfig, openProjectStore, policyOf } from './cli-config';
import {
  type Command,
  type CommandContext,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  parseCommandArgs,
  say,
  warn,
} from './command-context';
import { deleteSubcommand } from './command-issues-delete';
import { closest } from './did-you-mean';
import { ExitCode, UsageError } from './exit-codes';
import { parsePriority } from './issue-fields';
import { newDraftId } from './local-drafts';
import { brief, renderTable } from './table';
import { describeTombstone, tombstoneToJSON } from './tombstone-view';

const LIST_OPTIONS = {
  ...GLOBAL_FLAGS,
  system: {
    type: 'string',
    placeholder: 'ID',
    description: 'list the issues of this connector id',
    default: 'the bound provider',
  },
  all: { type: 'boolean', description: 'list the issues of every system in the store', default: 'off' },
  'include-gone': {
    type: 'boolean',
    description: 'also list issues deleted locally or gone from the tracker, with a "gone" column',
    default: 'hidden (their count is shown)',
  },
} as const satisfies FlagSpecs;

/** The words `issues` takes as a subcommand, for its did-you-mean. */
const SUBCOMMAND_NAMES = ['list', 'create', 'delete'];

async function listIssues(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('issues', ctx.args, LIST_OPTIONS);
  const [unexpected] = positionals;
  if (unexpected !== undefined) {
    const suggestion = closest(unexpected, SUBCOMMAND_NAMES);
    throw new UsageError(
      `issues: unexpected argument ${JSON.stringify(unexpected)}.${suggestion ? ` Did you mean \`issues ${suggestion}\`?` : ''} Subcommands: ${SUBCOMMAND_NAMES.join(', ')}.`,
    );
  }
  const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
  const store = openProjectStore(loaded);
  try {
    const system = values.all ? null : (values.system ?? loaded.config.provider ?? null);
    const includeGone = values['include-gone'] === true;
    const tombstones = new Map(
      (await store.listTombstones(system === null ? {} : { system })).map((record) => [
        refIdentity(record.ref),
        record,
      ]),
    );
    const stored = await store.listIssues({ system });
    const issues = includeGone ? stored : stored.filter((issue) => !tombstones.has(refIdentity(issue.ref)));
    const hiddenGone = stored.length - issues.length;
    const goneOf = (issue: CanonicalIssue) => tombstones.get(refIdentity(issue.ref)) ?? null;
    emitJson(ctx, {
      command: 'issues',
      issues: issues.map((issue) => {
        const tombstone = goneOf(issue);
        return { ...issueToJSON(issue), gone: tombstone ? tombstoneToJSON(tombstone) : null };
      }),
      hiddenGone,
    });
    if (issues.length === 0 && hiddenGone === 0)
      say(ctx, 'No issues in the local store. Run `spec-kitty-tracker pull`.');
    else if (issues.length > 0) {
      const headers = ['issue', 'status', 'type', 'title', 'labels', 'updated'];
      say(
        ctx,
        renderTable(
          includeGone ? [...headers, 'gone'] : headers,
          issues.map((issue) => {
            const tombstone = goneOf(issue);
            return [
              issue.ref.key ?? refIdentity(issue.ref),
              issue.status,
              issue.issueType,
              brief(issue.title, 50),
              issue.labels.join(','),
              issue.updatedAt?.toISOString() ?? '',
              ...(includeGone ? [tombstone ? describeTombstone(tombstone) : ''] : []),
            ];
          }),
        ),
      );
    }
    if (hiddenGone > 0)
      say(
        ctx,
        `${hiddenGone} issue(s) deleted locally or gone from the tracker are hidden; \`spec-kitty-tracker issues --include-gone\` lists them.`,
      );
    return ExitCode.OK;
  } finally {
    store.close();
  }
}

const listSubcommand: Command = {
  name: 'list',
  summary: 'List the issues in the local store (the default)',
  usage: 'issues [list] [options]',
  options: LIST_OPTIONS,
  examples: ['issues', 'issues list --all', 'issues --include-gone', '--json issues'],
  run: listIssues,
};

const CREATE_OPTIONS = {
  ...GLOBAL_FLAGS,
  title: { type: 'string', placeholder: 'T', description: 'the title (required)', values: 'non-blank text' },
  body: { type: 'string', placeholder: 'B', description: 'the description', default: 'none' },
  label: { type: 'string', multiple: true, placeholder: 'L', description: 'a label', default: 'none' },
  status: {
    type: 'string',
    placeholder: 'S',
    description: 'the status',
    values: Object.values(CanonicalStatus).join('|'),
    default: 'todo',
  },
  type: {
    type: 'string',
    placeholder: 'TYPE',
    description: 'the issue type',
    values: Object.values(CanonicalIssueType).join('|'),
    default: 'task',
  },
  priority: {
    type: 'string',
    placeholder: 'P',
    description: 'the priority (0 highest)',
    values: '0-4|none',
    default: 'none',
  },
} as const satisfies FlagSpecs;

async function createLocalIssue(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('issues create', ctx.args, CREATE_OPTIONS);
  if (positionals.length > 0)
    throw new UsageError(`issues create: unexpected argument ${JSON.stringify(positionals[0])}.`);
  if (values.title === undefined || values.title.trim() === '')
    throw new UsageError('issues create needs --title with some text.');
  const status = values.status ?? CanonicalStatus.TODO;
  if (!isCanonicalStatus(status)) {
    throw new UsageError(
      `--status must be one of ${Object.values(CanonicalStatus).join(', ')}, got ${JSON.stringify(status)}.`,
    );
  }
  const issueType = values.type ?? CanonicalIssueType.TASK;
  if (!isCanonicalIssueType(issueType)) {
    throw new UsageError(
      `--type must be one of ${Object.values(CanonicalIssueType).join(', ')}, got ${JSON.stringify(issueType)}.`,
    );
  }
  const priority = parsePriority(values.priority);
  const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
  const { config } = loaded;
  if (config.provider === undefined) {
    throw new UsageError(
      'issues create needs a bound provider: run `spec-kitty-tracker bind --provider <id> --workspace <ws>` first.',
    );
  }
  // A local id until the tracker assigns its own; the push's create is keyed by it, so a retried
  // or crashed push never creates the issue twice.
  const id = newDraftId();
  const issue = createIssue({
    ref: createRef({ system: config.provider, workspace: config.workspace ?? 'default', id, key: id }),
    title: values.title,
    body: values.body ?? null,
    status,
    issueType,
    priority: priority ?? null,
    labels: [...new Set(values.label ?? [])],
    updatedAt: new Date(),
  });
  const policy = policyOf(config);
  const store = openProjectStore(loaded);
  try {
    await store.upsertIssue(issue);
  } finally {
    store.close();
  }
  const creatable = localCanWrite(policy, 'title');
  emitJson(ctx, { command: 'issues create', issue: issueToJSON(issue), willBeCreated: creatable });
  if (!creatable) {
    warn(
      ctx,
      `the ${config.policy.mode} policy gives the title to the tracker, so push will not create ${id} there. Use \`spec-kitty-tracker bind --policy split\` to let local issues be created.`,
    );
  }
  say(
    ctx,
    `Created ${id} locally; ${creatable ? `\`spec-kitty-tracker push\` creates it in ${config.provider}` : 'it stays local'}.`,
  );
  return ExitCode.OK;
}

const createSubcommand: Command = {
  name: 'create',
  summary: 'Create an issue locally; the next push creates it on the tracker (once)',
  usage: 'issues create --title T [options]',
  options: CREATE_OPTIONS,
  examples: [
    'issues create --title "Ship the CLI"',
    'issues create --title "Crash on start" --type bug --label crash --label p1 --status in_progress',
  ],
  run: createLocalIssue,
};

export const issuesCommand: Command = {
  name: 'issues',
  summary: 'List the issues in the local store, create one or delete one (issues create|delete)',
  usage: 'issues [list|create|delete] [options]',
  options: LIST_OPTIONS,
  examples: ['issues', 'issues create --title "Ship the CLI" --label cli', "issues delete '#12'"],
  subcommands: [listSubcommand, createSubcommand, deleteSubcommand],
  run: listIssues,
};
