// The exact fp argv the original builds. fp parses options like clap: an option value that starts
// with '-' would be read as a flag, so such values are passed as `--opt=value`, and positionals that
// start with '-' go after `--`. Other values keep the original argv byte for byte.
import { type CanonicalIssue, isCanonicalStatus, LinkType } from '@spec-kitty/core';
import { canonicalPriorityToFp, STATUS_TO_FP } from './fp-mapping';

export function option(name: string, value: string): string[] {
  return value.startsWith('-') ? [`${name}=${value}`] : [name, value];
}

function positionals(values: readonly string[]): string[] {
  return values.some((value) => value.startsWith('-')) ? ['--', ...values] : [...values];
}

/** `fp issue list [--status S]` (CanonicalStatus mapped, other non-empty strings raw). */
export function listArgv(command: string, filters: Readonly<Record<string, unknown>>): string[] {
  const argv = [command, 'issue', 'list'];
  const status = filters.status;
  if (typeof status === 'string' && isCanonicalStatus(status))
    argv.push(...option('--status', STATUS_TO_FP[status]));
  else if (typeof status === 'string' && status !== '') argv.push(...option('--status', status));
  return argv;
}

export function showArgv(command: string, id: string): string[] {
  return [command, 'issue', 'show', ...positionals([id])];
}

/** `fp issue show <id> --format json` (used to read the current dependency list before a merge). */
export function showJsonArgv(command: string, id: string): string[] {
  return [command, 'issue', 'show', '--format', 'json', ...positionals([id])];
}

export function contextArgv(command: string, id: string): string[] {
  return [command, 'context', ...positionals([id])];
}

/** Dependency ids written by `--depends` at create: targets of blocked_by and relates_to links. */
export function createDependsIds(issue: CanonicalIssue): string[] {
  return issue.links
    .filter((link) => link.type === LinkType.BLOCKED_BY || link.type === LinkType.RELATES_TO)
    .map((link) => link.target.id);
}

/** `fp issue create --title T [--description D] [--parent P] [--priority p] [--depends a,b]`. */
export function createArgv(command: string, issue: CanonicalIssue): string[] {
  const argv = [command, 'issue', 'create', ...option('--title', issue.title)];
  if (issue.body) argv.push(...option('--description', issue.body));
  if (issue.parent !== null) argv.push(...option('--parent', issue.parent.id));
  if (issue.priority !== null) argv.push('--priority', canonicalPriorityToFp(issue.priority));
  const depends = createDependsIds(issue);
  if (depends.length > 0) argv.push(...option('--depends', depends.join(',')));
  return argv;
}

/** `fp issue update [--status S] [--priority P] <id>` — options first, the id last. */
export function updateArgv(command: string, id: string, flags: readonly string[]): string[] {
  return [command, 'issue', 'update', ...flags, ...positionals([id])];
}

/** `fp issue update --depends <depends> <target>`. */
export function dependsArgv(command: string, depends: string, target: string): string[] {
  return [command, 'issue', 'update', ...option('--depends', depends), ...positionals([target])];
}

export function commentArgv(command: string, id: string, body: string): string[] {
  return [command, 'comment', ...positionals([id, body])];
}
