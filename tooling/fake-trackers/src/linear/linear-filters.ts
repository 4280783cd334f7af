import type {
  FakeIssue,
  FakeIssueHistory,
  FakeLabel,
  FakeTeam,
  FakeWorkflowState,
  LinearFakeState,
} from './linear-state';

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

/**
 * Walks a Linear comparator object (`{ eq: …, gt: …, null: true }`): skips unset operands,
 * answers `null`, fails every other operator on a null value, and hands the rest to `test`,
 * which returns undefined for an operator the fake does not model.
 */
function matchComparator<T>(
  value: T | null,
  comparator: unknown,
  path: string,
  kind: string,
  test: (op: string, operand: unknown, value: T) => boolean | undefined,
): boolean {
  for (const [op, operand] of Object.entries(asFilter(comparator))) {
    if (operand === undefined || operand === null) continue;
    if (op === 'null') {
      if ((value === null) !== operand) return false;
      continue;
    }
    if (value === null) return false;
    const ok = test(op, operand, value);
    if (ok === undefined) throw new FakeGapError(`${kind} comparator ${path}.${op}`);
    if (!ok) return false;
  }
  return true;
}

/** Comparators over an ordered value (numbers, and dates as epoch milliseconds). */
function matchOrdered(
  value: number | null,
  comparator: unknown,
  path: string,
  kind: string,
  toNumber: (operand: unknown, path: string) => number,
): boolean {
  return matchComparator(value, comparator, path, kind, (op, operand, current) => {
    const at = `${path}.${op}`;
    switch (op) {
      case 'eq':
        return current === toNumber(operand, at);
      case 'neq':
        return current !== toNumber(operand, at);
      case 'gt':
        return current > toNumber(operand, at);
      case 'gte':
        return current >= toNumber(operand, at);
      case 'lt':
        return current < toNumber(operand, at);
      case 'lte':
        return current <= toNumber(operand, at);
      case 'in':
        return (operand as unknown[]).some((item) => toNumber(item, at) === current);
      case 'nin':
        return !(operand as unknown[]).some((item) => toNumber(item, at) === current);
      default:
        return undefined;
    }
  });
}

export function matchDate(value: Date | null, comparator: unknown, path: string): boolean {
  return matchOrdered(value?.getTime() ?? null, comparator, path, 'date', toMillis);
}

export function matchNumber(value: number | null, comparator: unknown, path: string): boolean {
  return matchOrdered(value, comparator, path, 'number', (operand) => Number(operand));
}

export function matchString(value: string | null, comparator: unknown, path: string): boolean {
  return matchComparator(value, comparator, path, 'string', (op, operand, current) => {
    const s = String(operand);
    const lower = current.toLowerCase();
    switch (op) {
      case 'eq':
        return current === s;
      case 'neq':
        return current !== s;
      case 'eqIgnoreCase':
        return lower === s.toLowerCase();
      case 'neqIgnoreCase':
        return lower !== s.toLowerCase();
      case 'contains':
        return current.includes(s);
      case 'notContains':
        return !current.includes(s);
      case 'containsIgnoreCase':
        return lower.includes(s.toLowerCase());
      case 'notContainsIgnoreCase':
        return !lower.includes(s.toLowerCase());
      case 'startsWith':
        return current.startsWith(s);
      case 'startsWithIgnoreCase':
        return lower.startsWith(s.toLowerCase());
      case 'notStartsWith':
        return !current.startsWith(s);
      case 'endsWith':
        return current.endsWith(s);
      case 'notEndsWith':
        return !current.endsWith(s);
      case 'in':
        return (operand as unknown[]).map(String).includes(current);
      case 'nin':
        return !(operand as unknown[]).map(String).includes(current);
      default:
        return undefined;
    }
  });
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

/** `ActivityFilter`: one of the issue's activities, which the fake models as its `IssueHistory` entries. */
export function matchActivity(entry: FakeIssueHistory, filter: unknown, path: string): boolean {
  const f = asFilter(filter);
  for (const key of Object.keys(f)) {
    if (f[key] === undefined || f[key] === null || key === 'and' || key === 'or') continue;
    if (key === 'id') {
      if (!matchString(entry.id, f.id, `${path}.id`)) return false;
    } else if (key === 'createdAt') {
      if (!matchDate(entry.createdAt, f.createdAt, `${path}.createdAt`)) return false;
    } else if (key === 'updatedAt') {
      if (!matchDate(entry.updatedAt, f.updatedAt, `${path}.updatedAt`)) return false;
    } else throw new FakeGapError(`activity filter ${path}.${key}`);
  }
  return matchCombinators(f, entry, (e, g, p) => matchActivity(e, g, p), path);
}

/** `ActivityCollectionFilter`: `some` / `every` over the issue's history entries. */
function matchActivities(entries: FakeIssueHistory[], filter: unknown, path: string): boolean {
  const f = asFilter(filter);
  for (const op of Object.keys(f)) {
    if (f[op] === undefined || f[op] === null) continue;
    if (op === 'some') {
      if (!entries.some((entry) => matchActivity(entry, f.some, `${path}.some`))) return false;
    } else if (op === 'every') {
      if (!entries.every((entry) => matchActivity(entry, f.every, `${path}.every`))) return false;
    } else throw new FakeGapError(`activity collection filter ${path}.${op}`);
  }
  return true;
}

/** An issue's label collection against `some` / `every` / `name`. */
function matchIssueLabels(issue: FakeIssue, filter: unknown, path: string, db: LinearFakeState): boolean {
  const lf = asFilter(filter);
  const labels = issue.labelIds.map((id) => db.labels.get(id)).filter((l): l is FakeLabel => l !== undefined);
  for (const op of Object.keys(lf)) {
    if (lf[op] === undefined || lf[op] === null) continue;
    if (op === 'some') {
      if (!labels.some((l) => matchLabel(l, lf.some, `${path}.some`, db))) return false;
    } else if (op === 'every') {
      if (!labels.every((l) => matchLabel(l, lf.every, `${path}.every`, db))) return false;
    } else if (op === 'name') {
      if (!labels.some((l) => matchString(l.name, lf.name, `${path}.name`))) return false;
    } else throw new FakeGapError(`label collection filter ${path}.${op}`);
  }
  return true;
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
      case 'labels':
        if (!matchIssueLabels(issue, value, `${path}.labels`, db)) return false;
        break;
      case 'activity':
        if (
          !matchActivities(
            db.histories.filter((entry) => entry.issueId === issue.id),
            value,
            `${path}.activity`,
          )
        )
          return false;
        break;
      default:
        throw new FakeGapError(`issue filter ${path}.${key}`);
    }
  }
  return matchCombinators(f, issue, (i, g, p) => matchIssue(i, g, p, db), path);
}
