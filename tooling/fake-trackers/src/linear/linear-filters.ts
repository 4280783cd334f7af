import type { FakeIssue, FakeLabel, FakeTeam, FakeWorkflowState, LinearFakeState } from './linear-state';

/**
 * Thrown when a request uses a filter the fake does not model. The fake answers with an error
 * instead of silently ignoring the filter, so a test never passes on a filter that did nothing.
 */
export class FakeGapError extends Error {
  constructor(what: string) {
    super(`Linear fake does not model ${what}; extend tooling/fake-trackers/src/linear or avoid it`);
    this.name = 'FakeGapError';
  }
}

type Filter = Record<string, unknown>;

function asFilter(value: unknown): Filter {
  return value !== null && typeof value === 'object' ? (value as Filter) : {};
}

/** Linear's `DateTimeOrDuration`: an ISO date-time (durations like `-P2W` are relative to now). */
function toMillis(value: unknown, path: string): number {
  if (typeof value !== 'string') throw new FakeGapError(`a non-string date at ${path}`);
  if (/^-?P/.test(value)) throw new FakeGapError(`ISO-8601 durations (${value}) at ${path}`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new LinearInputError(`Invalid date-time at ${path}: ${value}`);
  return ms;
}

/** A user-input error as Linear reports it (`INPUT_ERROR`). */
export class LinearInputError extends Error {
  readonly code: string;
  readonly userPresentableMessage: string;
  constructor(message: string, userPresentableMessage?: string, code = 'INPUT_ERROR') {
    super(message);
    this.name = 'LinearInputError';
    this.code = code;
    this.userPresentableMessage = userPresentableMessage ?? message;
  }
}

export function matchDate(value: Date | null, comparator: unknown, path: string): boolean {
  const c = asFilter(comparator);
  const ms = value?.getTime() ?? null;
  for (const [op, operand] of Object.entries(c)) {
    if (operand === undefined || operand === null) continue;
    if (op === 'null') {
      if ((ms === null) !== operand) return false;
      continue;
    }
    if (ms === null) return false;
    switch (op) {
      case 'eq':
        if (ms !== toMillis(operand, `${path}.eq`)) return false;
        break;
      case 'neq':
        if (ms === toMillis(operand, `${path}.neq`)) return false;
        break;
      case 'gt':
        if (!(ms > toMillis(operand, `${path}.gt`))) return false;
        break;
      case 'gte':
        if (!(ms >= toMillis(operand, `${path}.gte`))) return false;
        break;
      case 'lt':
        if (!(ms < toMillis(operand, `${path}.lt`))) return false;
        break;
      case 'lte':
        if (!(ms <= toMillis(operand, `${path}.lte`))) return false;
        break;
      case 'in':
        if (!(operand as unknown[]).some((o) => toMillis(o, `${path}.in`) === ms)) return false;
        break;
      case 'nin':
        if ((operand as unknown[]).some((o) => toMillis(o, `${path}.nin`) === ms)) return false;
        break;
      default:
        throw new FakeGapError(`date comparator ${path}.${op}`);
    }
  }
  return true;
}

export function matchString(value: string | null, comparator: unknown, path: string): boolean {
  const c = asFilter(comparator);
  for (const [op, operand] of Object.entries(c)) {
    if (operand === undefined || operand === null) continue;
    if (op === 'null') {
      if ((value === null) !== operand) return false;
      continue;
    }
    if (value === null) return false;
    const s = String(operand);
    const lower = value.toLowerCase();
    switch (op) {
      case 'eq':
        if (value !== s) return false;
        break;
      case 'neq':
        if (value === s) return false;
        break;
      case 'eqIgnoreCase':
        if (lower !== s.toLowerCase()) return false;
        break;
      case 'neqIgnoreCase':
        if (lower === s.toLowerCase()) return false;
        break;
      case 'contains':
        if (!value.includes(s)) return false;
        break;
      case 'notContains':
        if (value.includes(s)) return false;
        break;
      case 'containsIgnoreCase':
        if (!lower.includes(s.toLowerCase())) return false;
        break;
      case 'notContainsIgnoreCase':
        if (lower.includes(s.toLowerCase())) return false;
        break;
      case 'startsWith':
        if (!value.startsWith(s)) return false;
        break;
      case 'startsWithIgnoreCase':
        if (!lower.startsWith(s.toLowerCase())) return false;
        break;
      case 'notStartsWith':
        if (value.startsWith(s)) return false;
        break;
      case 'endsWith':
        if (!value.endsWith(s)) return false;
        break;
      case 'notEndsWith':
        if (value.endsWith(s)) return false;
        break;
      case 'in':
        if (!(operand as unknown[]).map(String).includes(value)) return false;
        break;
      case 'nin':
        if ((operand as unknown[]).map(String).includes(value)) return false;
        break;
      default:
        throw new FakeGapError(`string comparator ${path}.${op}`);
    }
  }
  return true;
}

export function matchNumber(value: number | null, comparator: unknown, path: string): boolean {
  const c = asFilter(comparator);
  for (const [op, operand] of Object.entries(c)) {
    if (operand === undefined || operand === null) continue;
    if (op === 'null') {
      if ((value === null) !== operand) return false;
      continue;
    }
    if (value === null) return false;
    const n = Number(operand);
    const ok =
      op === 'eq'
        ? value === n
        : op === 'neq'
          ? value !== n
          : op === 'gt'
            ? value > n
            : op === 'gte'
              ? value >= n
              : op === 'lt'
                ? value < n
                : op === 'lte'
                  ? value <= n
                  : op === 'in'
                    ? (operand as unknown[]).map(Number).includes(value)
                    : op === 'nin'
                      ? !(operand as unknown[]).map(Number).includes(value)
                      : (() => {
                          throw new FakeGapError(`number comparator ${path}.${op}`);
                        })();
    if (!ok) return false;
  }
  return true;
}

function matchCombinators<T>(
  filter: Filter,
  item: T,
  self: (item: T, filter: unknown, path: string) => boolean,
  path: string,
): boolean {
  if (Array.isArray(filter.and) && !filter.and.every((f, i) => self(item, f, `${path}.and[${i}]`)))
    return false;
  if (
    Array.isArray(filter.or) &&
    filter.or.length > 0 &&
    !filter.or.some((f, i) => self(item, f, `${path}.or[${i}]`))
  )
    return false;
  return true;
}

export function matchTeam(team: FakeTeam | null, filter: unknown, path: string): boolean {
  const f = asFilter(filter);
  if (f.null !== undefined && f.null !== null) {
    if ((team === null) !== f.null) return false;
  }
  for (const key of Object.keys(f)) {
    if (f[key] === undefined || f[key] === null) continue;
    if (key === 'null' || key === 'and' || key === 'or') continue;
    if (team === null) return false;
    if (key === 'id') {
      if (!matchString(team.id, f.id, `${path}.id`)) return false;
    } else if (key === 'key') {
      if (!matchString(team.key, f.key, `${path}.key`)) return false;
    } else if (key === 'name') {
      if (!matchString(team.name, f.name, `${path}.name`)) return false;
    } else throw new FakeGapError(`team filter ${path}.${key}`);
  }
  return matchCombinators(f, team, (t, g, p) => matchTeam(t, g, p), path);
}

export function matchState(
  state: FakeWorkflowState,
  filter: unknown,
  path: string,
  db: LinearFakeState,
): boolean {
  const f = asFilter(filter);
  for (const key of Object.keys(f)) {
    if (f[key] === undefined || f[key] === null || key === 'and' || key === 'or') continue;
    if (key === 'id') {
      if (!matchString(state.id, f.id, `${path}.id`)) return false;
    } else if (key === 'name') {
      if (!matchString(state.name, f.name, `${path}.name`)) return false;
    } else if (key === 'type') {
      if (!matchString(state.type, f.type, `${path}.type`)) return false;
    } else if (key === 'team') {
      if (!matchTeam(db.teams.get(state.teamId) ?? null, f.team, `${path}.team`)) return false;
    } else throw new FakeGapError(`workflow state filter ${path}.${key}`);
  }
  return matchCombinators(f, state, (s, g, p) => matchState(s, g, p, db), path);
}

export function matchLabel(label: FakeLabel, filter: unknown, path: string, db: LinearFakeState): boolean {
  const f = asFilter(filter);
  for (const key of Object.keys(f)) {
    if (f[key] === undefined || f[key] === null || key === 'and' || key === 'or') continue;
    if (key === 'id') {
      if (!matchString(label.id, f.id, `${path}.id`)) return false;
    } else if (key === 'name') {
      if (!matchString(label.name, f.name, `${path}.name`)) return false;
    } else if (key === 'team') {
      const team = label.teamId === null ? null : (db.teams.get(label.teamId) ?? null);
      if (!matchTeam(team, f.team, `${path}.team`)) return false;
    } else throw new FakeGapError(`label filter ${path}.${key}`);
  }
  return matchCombinators(f, label, (l, g, p) => matchLabel(l, g, p, db), path);
}

export function matchIssue(
  issue: FakeIssue | null,
  filter: unknown,
  path: string,
  db: LinearFakeState,
): boolean {
  const f = asFilter(filter);
  if (f.null !== undefined && f.null !== null && (issue === null) !== f.null) return false;
  for (const key of Object.keys(f)) {
    const value = f[key];
    if (value === undefined || value === null || key === 'and' || key === 'or' || key === 'null') continue;
    if (issue === null) return false;
    switch (key) {
      case 'id':
        if (!matchString(issue.id, value, `${path}.id`)) return false;
        break;
      case 'number':
        if (!matchNumber(issue.number, value, `${path}.number`)) return false;
        break;
      case 'priority':
        if (!matchNumber(issue.priority, value, `${path}.priority`)) return false;
        break;
      case 'title':
        if (!matchString(issue.title, value, `${path}.title`)) return false;
        break;
      case 'description':
        if (!matchString(issue.description, value, `${path}.description`)) return false;
        break;
      case 'createdAt':
        if (!matchDate(issue.createdAt, value, `${path}.createdAt`)) return false;
        break;
      case 'updatedAt':
        if (!matchDate(issue.updatedAt, value, `${path}.updatedAt`)) return false;
        break;
      case 'archivedAt':
        if (!matchDate(issue.archivedAt, value, `${path}.archivedAt`)) return false;
        break;
      case 'team':
        if (!matchTeam(db.teams.get(issue.teamId) ?? null, value, `${path}.team`)) return false;
        break;
      case 'state': {
        const state = db.states.get(issue.stateId);
        if (!state || !matchState(state, value, `${path}.state`, db)) return false;
        break;
      }
      case 'parent': {
        const parent = issue.parentId === null ? null : (db.issues.get(issue.parentId) ?? null);
        if (!matchIssue(parent, value, `${path}.parent`, db)) return false;
        break;
      }
      case 'labels': {
        const lf = asFilter(value);
        const labels = issue.labelIds
          .map((id) => db.labels.get(id))
          .filter((l): l is FakeLabel => l !== undefined);
        for (const op of Object.keys(lf)) {
          if (lf[op] === undefined || lf[op] === null) continue;
          if (op === 'some') {
            if (!labels.some((l) => matchLabel(l, lf.some, `${path}.labels.some`, db))) return false;
          } else if (op === 'every') {
            if (!labels.every((l) => matchLabel(l, lf.every, `${path}.labels.every`, db))) return false;
          } else if (op === 'name') {
            if (!labels.some((l) => matchString(l.name, lf.name, `${path}.labels.name`))) return false;
          } else throw new FakeGapError(`label collection filter ${path}.labels.${op}`);
        }
        break;
      }
      default:
        throw new FakeGapError(`issue filter ${path}.${key}`);
    }
  }
  return matchCombinators(f, issue, (i, g, p) => matchIssue(i, g, p, db), path);
}
