// The exact bd argv the original builds (every call uses the global `--json` right after the
// command), plus the few documented deviations that make it correct on bd 1.x.
import {
  type CanonicalIssue,
  CanonicalStatus,
  CapabilityNotSupportedError,
  ConnectorRequestError,
  type ExternalRef,
  isCanonicalStatus,
  LinkType,
} from '@spec-kitty/core';
import { STATUS_TO_BEADS, TYPE_TO_BEADS } from './beads-mapping';

/**
 * A positional that starts with '-' would be read as a flag by bd (cobra/pflag), so such values
 * go after a `--` separator. Ids and titles that do not start with '-' keep the original argv.
 */
function positionals(values: readonly string[]): string[] {
  return values.some((value) => value.startsWith('-')) ? ['--', ...values] : [...values];
}

/** `YYYY-MM-DD` of the UTC day before `date` (bd compares dates in local time; see README). */
export function updatedAfterDate(date: Date): string {
  return new Date(date.getTime() - 24 * 3600 * 1000).toISOString().slice(0, 10);
}

export interface ListArgvInput {
  updatedSince: Date | null;
  filters: Readonly<Record<string, unknown>>;
  /** How many issues bd must print (`--limit`); 0 = all. */
  fetch: number;
}

/**
 * `bd --json list [--updated-after D] [--status S | --all] [--title-contains T] [--assignee A]
 * --sort id --limit N`. Original flags and order; added: `--all` when no status filter is given
 * (bd hides closed issues by default, so a pull would never see an issue close), `--sort id` and
 * `--limit N` (bd's default limit is 50 and the original silently lost everything past it; 0 =
 * unlimited), which also give a stable order for offset cursors.
 */
export function listArgv(command: string, input: ListArgvInput): string[] {
  const argv = [command, '--json', 'list'];
  if (input.updatedSince !== null) argv.push('--updated-after', updatedAfterDate(input.updatedSince));
  const status = input.filters.status;
  if (typeof status === 'string' && isCanonicalStatus(status)) argv.push('--status', STATUS_TO_BEADS[status]);
  else if (typeof status === 'string' && status !== '') argv.push('--status', status);
  else argv.push('--all');
  const titleContains = input.filters.title_contains;
  if (typeof titleContains === 'string' && titleContains !== '') argv.push('--title-contains', titleContains);
  const assignee = input.filters.assignee;
  if (typeof assignee === 'string' && assignee !== '') argv.push('--assignee', assignee);
  argv.push('--sort', 'id', '--limit', String(input.fetch));
  return argv;
}

export function showArgv(command: string, id: string): string[] {
  return [command, '--json', 'show', ...positionals([id])];
}

/** `bd --json show <id>...`: several issues in one process (bd prints the found ones, exit 0). */
export function showManyArgv(command: string, ids: readonly string[]): string[] {
  return [command, '--json', 'show', ...positionals(ids)];
}

/**
 * `bd --json list --external-ref <marker> --all --sort id --limit 0`: every issue, closed ones
 * included, whose `external_ref` is exactly `marker` (see `createMarker`).
 */
export function markedListArgv(command: string, marker: string): string[] {
  return [command, '--json', 'list', '--external-ref', marker, '--all', '--sort', 'id', '--limit', '0'];
}

/** `bd --json list --all --sort id --limit 0` (for a bd without `list --external-ref`). */
export function fullListArgv(command: string): string[] {
  return [command, '--json', 'list', '--all', '--sort', 'id', '--limit', '0'];
}

/**
 * `bd --json create <title> --type T --priority P [--description B] [--parent ID] [--label L]…
 * [--external-ref M]`; never `--assignee` (assignment is host-owned). A title starting with '-'
 * is passed as `--title <title>` instead of the positional. `marker` (the create marker, when the
 * caller gave an idempotency key) goes to `--external-ref`.
 */
export function createArgv(command: string, issue: CanonicalIssue, marker: string | null = null): string[] {
  const argv = [command, '--json', 'create'];
  if (issue.title.startsWith('-')) argv.push('--title', issue.title);
  else argv.push(issue.title);
  argv.push('--type', TYPE_TO_BEADS[issue.issueType], '--priority', String(issue.priority ?? 2));
  if (issue.body) argv.push('--description', issue.body);
  if (issue.parent !== null) argv.push('--parent', issue.parent.id);
  for (const label of issue.labels) argv.push('--label', label);
  if (marker !== null) argv.push('--external-ref', marker);
  return argv;
}

/**
 * The flags of `bd --json update <id> …` for a patch whose keys were already validated, in the
 * original's order. Returns `[]` when nothing needs writing.
 */
export function updateFlags(patch: Readonly<Record<string, unknown>>): string[] {
  const flags: string[] = [];
  if ('status' in patch && patch.status !== undefined) {
    const status = patch.status;
    if (typeof status !== 'string' || !isCanonicalStatus(status)) {
      throw new ConnectorRequestError(
        `status patch must be a CanonicalStatus, got ${JSON.stringify(status)}`,
      );
    }
    if (status === CanonicalStatus.DONE || status === CanonicalStatus.CANCELED) {
      throw new CapabilityNotSupportedError('beads: terminal transition is host-owned', {
        capability: 'status',
      });
    }
    flags.push('--status', STATUS_TO_BEADS[status]);
  }
  if (patch.priority !== null && patch.priority !== undefined) {
    flags.push('--priority', String(Math.trunc(Number(patch.priority))));
  }
  if (patch.title !== null && patch.title !== undefined) flags.push('--title', String(patch.title));
  if ('body' in patch) flags.push('--description', patch.body ? String(patch.body) : '');
  if (patch.issueType !== null && patch.issueType !== undefined) {
    const type = TYPE_TO_BEADS[patch.issueType as keyof typeof TYPE_TO_BEADS];
    if (type === undefined) {
      throw new ConnectorRequestError(
        `issueType patch must be a CanonicalIssueType, got ${JSON.stringify(patch.issueType)}`,
      );
    }
    flags.push('--type', type);
  }
  if ('labels' in patch) {
    const labels = patch.labels;
    if (typeof labels === 'string' || !Array.isArray(labels)) {
      throw new ConnectorRequestError('labels patch must be a sequence');
    }
    for (const label of labels) flags.push('--set-labels', String(label));
  }
  if ('parent' in patch) {
    const parent = patch.parent;
    if (parent === null || parent === undefined) flags.push('--parent', '');
    else if (isRefLike(parent)) flags.push('--parent', parent.id);
    else throw new ConnectorRequestError('parent patch must be ExternalRef or None');
  }
  return flags;
}

function isRefLike(value: unknown): value is ExternalRef {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

export function updateArgv(command: string, id: string, flags: readonly string[]): string[] {
  return id.startsWith('-')
    ? [command, '--json', 'update', ...flags, '--', id]
    : [command, '--json', 'update', id, ...flags];
}

/** `bd --json dep add <issue> <depends-on> --type <type>` per the original's link mapping. */
export function depAddArgv(
  command: string,
  ref: ExternalRef,
  linkType: LinkType,
  target: ExternalRef,
): string[] {
  let pair: [string, string, string];
  switch (linkType) {
    case LinkType.BLOCKS:
      pair = [target.id, ref.id, 'blocks'];
      break;
    case LinkType.BLOCKED_BY:
      pair = [ref.id, target.id, 'blocks'];
      break;
    case LinkType.RELATES_TO:
    case LinkType.DUPLICATES:
      pair = [ref.id, target.id, 'related'];
      break;
    case LinkType.CHILD_OF:
      pair = [ref.id, target.id, 'parent-child'];
      break;
    case LinkType.PARENT_OF:
      pair = [target.id, ref.id, 'parent-child'];
      break;
    default:
      throw new CapabilityNotSupportedError(`Unsupported link type for Beads: ${String(linkType)}`);
  }
  const [issueId, dependsOn, type] = pair;
  if (issueId.startsWith('-') || dependsOn.startsWith('-')) {
    return [command, '--json', 'dep', 'add', '--type', type, '--', issueId, dependsOn];
  }
  return [command, '--json', 'dep', 'add', issueId, dependsOn, '--type', type];
}

export function commentArgv(command: string, id: string, body: string): string[] {
  return [command, '--json', 'comments', 'add', ...positionals([id, body])];
}

export function configListArgv(command: string): string[] {
  return [command, '--json', 'config', 'list'];
}
