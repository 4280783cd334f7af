import {
  type CanonicalIssue,
  CanonicalStatus,
  cloneIssue,
  isCanonicalStatus,
  issueToJSON,
  refIdentity,
} from '@spec-kitty/core';
import { configPathFor, loadConfig, openProjectStore } from './cli-config';
import { type Command, emitJson, parseCommandArgs, say } from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { findStoredIssue } from './issue-lookup';
import { brief, renderTable } from './table';

export const issuesCommand: Command = {
  name: 'issues',
  summary: 'List the issues in the local store',
  usage: 'issues [--system ID] [--all] [--json]',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('issues', ctx.args, {
      json: { type: 'boolean' },
      config: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      system: { type: 'string' },
      all: { type: 'boolean' },
    });
    if (positionals.length > 0)
      throw new UsageError(`issues: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const store = openProjectStore(loaded);
    try {
      const system = values.all ? null : (values.system ?? loaded.config.provider ?? null);
      const issues = await store.listIssues({ system });
      emitJson(ctx, { command: 'issues', issues: issues.map(issueToJSON) });
      if (issues.length === 0) say(ctx, 'No issues in the local store. Run `spec-kitty-tracker pull`.');
      else
        say(
          ctx,
          renderTable(
            ['issue', 'status', 'type', 'title', 'labels', 'updated'],
            issues.map((issue) => [
              issue.ref.key ?? refIdentity(issue.ref),
              issue.status,
              issue.issueType,
              brief(issue.title, 50),
              issue.labels.join(','),
              issue.updatedAt?.toISOString() ?? '',
            ]),
          ),
        );
      return ExitCode.OK;
    } finally {
      store.close();
    }
  },
};

export const editCommand: Command = {
  name: 'edit',
  summary: 'Edit an issue in the local store (pushed by the next push/sync)',
  usage:
    'edit <issue> [--title T] [--body B] [--status S] [--priority 0-4|none] [--add-label L]… [--remove-label L]… [--assignee A]… [--json]',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('edit', ctx.args, {
      json: { type: 'boolean' },
      config: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      title: { type: 'string' },
      body: { type: 'string' },
      status: { type: 'string' },
      priority: { type: 'string' },
      'add-label': { type: 'string', multiple: true },
      'remove-label': { type: 'string', multiple: true },
      assignee: { type: 'string', multiple: true },
    });
    const [reference, ...extra] = positionals;
    if (reference === undefined || extra.length > 0)
      throw new UsageError(`edit needs exactly one issue. Usage: ${this.usage}`);
    if (values.status !== undefined && !isCanonicalStatus(values.status)) {
      throw new UsageError(
        `--status must be one of ${Object.values(CanonicalStatus).join(', ')}, got ${JSON.stringify(values.status)}.`,
      );
    }
    let priority: number | null | undefined;
    if (values.priority !== undefined) {
      priority = values.priority === 'none' ? null : Number(values.priority);
      if (priority !== null && !(Number.isInteger(priority) && priority >= 0 && priority <= 4)) {
        throw new UsageError(`--priority must be 0..4 or none, got ${JSON.stringify(values.priority)}.`);
      }
    }
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const store = openProjectStore(loaded);
    try {
      const issue = await findStoredIssue(store, reference, loaded.config.provider);
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
      await store.upsertIssue(edited);
      emitJson(ctx, { command: 'edit', issue: issueToJSON(edited) });
      say(
        ctx,
        `Edited ${refIdentity(edited.ref)} locally; \`spec-kitty-tracker push\` sends it to ${edited.ref.system}.`,
      );
      return ExitCode.OK;
    } finally {
      store.close();
    }
  },
};
