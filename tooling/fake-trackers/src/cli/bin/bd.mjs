#!/usr/bin/env node
// Fake `bd` (Beads 1.0.x) for tests: same argv grammar, JSON shapes, error texts and exit codes as
// the real CLI for the subcommands spec-kitty's Beads connector uses. State lives in
// `$BEADS_DIR/fake-bd.json`, or `.beads/fake-bd.json` found by walking up from the cwd (or -C dir).
// See ../README.md for what is faithful and what is not.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  activeFaults,
  applyPreFaults,
  emit,
  findUp,
  flagSpec,
  hashId,
  logCall,
  nextTimestamp,
  parseFlags,
  UsageError,
  withState,
} from './fake-cli-common.mjs';

const STATE_FILE = 'fake-bd.json';
const STATUSES = ['open', 'in_progress', 'blocked', 'deferred', 'closed', 'pinned', 'hooked'];
const TYPES = [
  'bug',
  'feature',
  'task',
  'epic',
  'chore',
  'decision',
  'message',
  'molecule',
  'gate',
  'spike',
  'story',
  'milestone',
];
const TYPE_ALIASES = {
  enhancement: 'feature',
  feat: 'feature',
  dec: 'decision',
  adr: 'decision',
  investigation: 'spike',
  timebox: 'spike',
  'user-story': 'story',
  user_story: 'story',
  ms: 'milestone',
};
// Go struct field order of types.Issue (subset the fake keeps).
const ISSUE_KEYS = [
  'id',
  'title',
  'description',
  'design',
  'acceptance_criteria',
  'notes',
  'status',
  'priority',
  'issue_type',
  'assignee',
  'owner',
  'created_at',
  'created_by',
  'updated_at',
  'closed_at',
  'close_reason',
  'external_ref',
  'metadata',
  'labels',
];

class BdError extends Error {
  /** @param {'json-stdout'|'json-stderr'} channel FatalErrorRespectJSON writes to stdout, FatalError to stderr. */
  constructor(message, channel = 'json-stdout') {
    super(message);
    this.channel = channel;
  }
}

const GLOBAL_FLAGS = [
  ['json', null, 'bool'],
  ['directory', 'C', 'string'],
  ['db', null, 'string'],
  ['actor', null, 'string'],
  ['quiet', 'q', 'bool'],
  ['verbose', 'v', 'bool'],
  ['readonly', null, 'bool'],
  ['sandbox', null, 'bool'],
  ['format', null, 'string'],
];

const COMMAND_FLAGS = {
  list: [
    ['status', 's', 'string'],
    ['assignee', 'a', 'string'],
    ['type', 't', 'string'],
    ['label', 'l', 'array'],
    ['title', null, 'string'],
    ['title-contains', null, 'string'],
    ['desc-contains', null, 'string'],
    ['external-ref', null, 'string'],
    ['external-contains', null, 'string'],
    ['updated-after', null, 'string'],
    ['updated-before', null, 'string'],
    ['created-after', null, 'string'],
    ['priority', 'p', 'string'],
    ['parent', null, 'string'],
    ['no-parent', null, 'bool'],
    ['all', null, 'bool'],
    ['pinned', null, 'bool'],
    ['sort', null, 'string'],
    ['reverse', 'r', 'bool'],
    ['limit', 'n', 'string'],
  ],
  show: [
    ['include-comments', null, 'bool'],
    ['include-dependents', null, 'bool'],
  ],
  create: [
    ['title', null, 'string'],
    ['type', 't', 'string'],
    ['priority', 'p', 'string'],
    ['description', 'd', 'string'],
    ['body', null, 'string'],
    ['message', 'm', 'string'],
    ['parent', null, 'string'],
    ['labels', 'l', 'array'],
    ['label', null, 'array'],
    ['assignee', 'a', 'string'],
    ['external-ref', null, 'string'],
    ['notes', null, 'string'],
    ['id', null, 'string'],
    ['metadata', null, 'string'],
    ['silent', null, 'bool'],
    ['no-inherit-labels', null, 'bool'],
  ],
  update: [
    ['status', 's', 'string'],
    ['priority', 'p', 'string'],
    ['title', null, 'string'],
    ['description', 'd', 'string'],
    ['type', 't', 'string'],
    ['assignee', 'a', 'string'],
    ['external-ref', null, 'string'],
    ['notes', null, 'string'],
    ['add-label', null, 'array'],
    ['remove-label', null, 'array'],
    ['set-labels', null, 'array'],
    ['parent', null, 'string'],
    ['metadata', null, 'string'],
  ],
  close: [
    ['reason', 'r', 'string'],
    ['force', 'f', 'bool'],
  ],
  'dep add': [
    ['type', 't', 'string'],
    ['blocked-by', null, 'string'],
    ['depends-on', null, 'string'],
  ],
  'dep remove': [],
  'comments add': [
    ['author', 'a', 'string'],
    ['file', 'f', 'string'],
  ],
  comments: [],
  'config list': [],
  'config get': [],
  'config set': [],
  'config unset': [],
  init: [
    ['prefix', 'p', 'string'],
    ['non-interactive', null, 'bool'],
    ['force', null, 'bool'],
  ],
};

/** The leading non-flag words (global string flags before the command consume their value). */
function commandWordsOf(argv, globalSpec) {
  const words = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      const key = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
      const def = globalSpec[key];
      if (def !== undefined && def.type !== 'bool' && !key.includes('=')) i++;
      if (words.length > 0) break;
      continue;
    }
    words.push(arg);
  }
  return words;
}

function commandPathOf(positionals) {
  const [first, second] = positionals;
  if ((first === 'dep' || first === 'config') && second !== undefined) return `${first} ${second}`;
  if (first === 'comments' && second === 'add') return 'comments add';
  return first ?? '';
}

function main(argv) {
  // Pass 1: find the command path (global flags may sit anywhere).
  const allSpec = flagSpec(GLOBAL_FLAGS);
  const loose = commandWordsOf(argv, allSpec);
  const commandPath = commandPathOf(loose);
  const commandWords = commandPath.split(' ').filter(Boolean).length;
  const perCommand = COMMAND_FLAGS[commandPath];
  let parsed;
  try {
    parsed = parseFlags(argv, { ...allSpec, ...flagSpec(perCommand ?? []) });
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message, commandPath);
    throw error;
  }
  const { flags } = parsed;
  const args = parsed.positionals.slice(commandWords);
  const json = flags.json === true || flags.format === 'json' || process.env.BD_JSON === 'true';
  const start = flags.directory ? resolve(flags.directory) : process.cwd();

  if (commandPath === '' || perCommand === undefined) {
    return usageError(`unknown command "${loose[0] ?? ''}" for "bd"`, '');
  }

  if (commandPath === 'init') return cmdInit(start, flags, json);

  // --db <path> (a .beads dir, or a file inside one) > $BEADS_DIR > .beads/ found walking up.
  const beadsDir = flags.db
    ? dbDir(resolve(start, flags.db))
    : process.env.BEADS_DIR
      ? resolve(process.env.BEADS_DIR)
      : findUp(start, '.beads');
  logCall(beadsDir, 'bd', argv);
  const faults = activeFaults('bd', beadsDir, commandPath);
  const shaping = applyPreFaults(faults);
  if (shaping.hang) return;

  if (beadsDir === null || !existsSync(join(beadsDir, STATE_FILE))) {
    process.stderr.write(
      "Error: no beads database found\nHint: run 'bd init' to create a database in the current directory\n" +
        "      or use 'bd --db <path>' / BEADS_DIR to point at an existing .beads/ directory\n",
    );
    process.exitCode = 1;
    return;
  }

  try {
    const out = withState(
      beadsDir,
      STATE_FILE,
      () => null,
      (state) => dispatch(state, commandPath, args, flags),
    );
    if (out.error !== undefined) {
      if (out.stderr) process.stderr.write(out.stderr);
      throw new BdError(out.error, 'json-stdout');
    }
    if (out.raw !== undefined) emit(`${out.raw}\n`, shaping, '\n');
    if (out.payload !== undefined) emit(render(out.payload), shaping, ' ');
    if (out.stderr) process.stderr.write(out.stderr);
    if (out.exitCode) process.exitCode = out.exitCode;
  } catch (error) {
    if (!(error instanceof BdError)) throw error;
    const body = render({ error: error.message });
    if (!json) process.stderr.write(`Error: ${error.message}\n`);
    else if (error.channel === 'json-stdout') process.stdout.write(body);
    else process.stderr.write(body);
    process.exitCode = 1;
  }
}

function dbDir(path) {
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
}

function usageError(message, commandPath) {
  process.stderr.write(
    `Error: ${message}\nUsage:\n  bd ${commandPath || '[command]'} [flags]\n\nRun 'bd --help' for usage.\n`,
  );
  process.exitCode = 1;
}

/** Legacy JSON mode: objects get schema_version and sorted keys; arrays are printed as is. */
function render(payload) {
  let value = payload;
  if (process.env.BD_JSON_ENVELOPE === '1') {
    value = { schema_version: 1, data: payload };
  } else if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    const withVersion = { ...payload, schema_version: 1 };
    value = Object.fromEntries(
      Object.keys(withVersion)
        .sort()
        .map((k) => [k, withVersion[k]]),
    );
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}

function cmdInit(start, flags, json) {
  const target = process.env.BEADS_DIR ? resolve(process.env.BEADS_DIR) : join(start, '.beads');
  if (basename(start) === '.beads') {
    process.stderr.write('Error: cannot initialize bd inside a .beads directory\n');
    process.exitCode = 1;
    return;
  }
  mkdirSync(target, { recursive: true, mode: 0o700 });
  let prefix = flags.prefix ?? basename(start);
  prefix = prefix.replace(/^\.+/, '').replace(/-+$/, '').replace(/\./g, '_');
  if (!/^[A-Za-z_]/.test(prefix)) prefix = `bd_${prefix}`;
  withState(
    target,
    STATE_FILE,
    () => newState(prefix),
    (state) => {
      state.config.issue_prefix = prefix;
      return { write: true };
    },
  );
  if (json) process.stdout.write(render({ initialized: true, prefix, path: target }));
  else if (!flags.quiet)
    process.stdout.write(`\n✓ bd initialized successfully!\n\n  Issue prefix: ${prefix}\n\n`);
}

function newState(prefix) {
  return {
    version: 1,
    prefix,
    config: { issue_prefix: prefix },
    issues: {},
    deps: [],
    comments: [],
    seq: 0,
    childSeq: {},
  };
}

function dispatch(state, commandPath, args, flags) {
  switch (commandPath) {
    case 'list':
      return { payload: cmdList(state, flags) };
    case 'show':
      return cmdShow(state, args, flags);
    case 'create':
      return cmdCreate(state, args, flags);
    case 'update':
      return cmdUpdate(state, args, flags);
    case 'close':
      return cmdClose(state, args, flags);
    case 'dep add':
      return cmdDepAdd(state, args, flags);
    case 'dep remove':
      return cmdDepRemove(state, args);
    case 'comments add':
      return cmdCommentAdd(state, args, flags);
    case 'comments':
      return cmdCommentsList(state, args);
    case 'config list':
      return { payload: { ...state.config } };
    case 'config get':
      if (args.length !== 1) throw new BdError(`accepts 1 arg(s), received ${args.length}`, 'json-stderr');
      return { payload: { key: args[0], value: state.config[args[0]] ?? '' } };
    case 'config set':
      if (args.length !== 2) throw new BdError(`accepts 2 arg(s), received ${args.length}`, 'json-stderr');
      state.config[args[0]] = args[1];
      return { write: true, payload: { key: args[0], value: args[1] } };
    case 'config unset':
      delete state.config[args[0]];
      return { write: true, payload: { key: args[0] } };
    default:
      throw new BdError(`unknown command "${commandPath}"`, 'json-stderr');
  }
}

// ---- lookups -------------------------------------------------------------------------------

function resolveId(state, id) {
  if (state.issues[id]) return id;
  const matches = Object.keys(state.issues).filter((key) => key.includes(id) || key.endsWith(`-${id}`));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1)
    throw new BdError(
      `ambiguous ID "${id}" matches ${matches.length} issues: ${matches.slice(0, 5).join(', ')}`,
    );
  return null;
}

function parentOf(state, id) {
  const dep = state.deps.find((d) => d.issue_id === id && d.type === 'parent-child');
  return dep ? dep.depends_on_id : null;
}

function ordered(issue) {
  const out = {};
  for (const key of ISSUE_KEYS) {
    const value = issue[key];
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  if (out.priority === undefined) out.priority = issue.priority ?? 2;
  return out;
}

function counts(state, id) {
  return {
    dependency_count: state.deps.filter((d) => d.issue_id === id && d.type === 'blocks').length,
    dependent_count: state.deps.filter((d) => d.depends_on_id === id).length,
    comment_count: state.comments.filter((c) => c.issue_id === id).length,
  };
}

function parsePriority(raw) {
  const text = String(raw).trim();
  const match = /^[Pp]?([0-4])$/.exec(text);
  if (!match)
    throw new BdError(
      `invalid priority "${raw}" (expected 0-4 or P0-P4, not words like high/medium/low)`,
      'json-stderr',
    );
  return Number(match[1]);
}

function parseType(raw) {
  const lower = String(raw).trim().toLowerCase();
  const type = TYPE_ALIASES[lower] ?? lower;
  if (!TYPES.includes(type)) {
    throw new BdError(`invalid issue type "${raw}" (valid: ${TYPES.join(', ')})`, 'json-stderr');
  }
  return type;
}

function parseStatus(raw, channel) {
  const statuses = [...STATUSES, ...customStatuses()];
  if (!statuses.includes(raw))
    throw new BdError(`invalid status "${raw}" (valid: ${STATUSES.join(', ')})`, channel);
  return raw;
}

function customStatuses() {
  return [];
}

function parseDateFlag(raw, flag) {
  const text = String(raw).trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (Number.isNaN(ms))
    throw new BdError(`invalid ${flag} date "${raw}": use YYYY-MM-DD or RFC3339`, 'json-stderr');
  return ms;
}

// ---- commands ------------------------------------------------------------------------------

function cmdList(state, flags) {
  let issues = Object.values(state.issues);
  if (flags.status !== undefined && flags.status !== 'all') {
    const wanted = flags.status.split(',').map((s) => parseStatus(s.trim(), 'json-stderr'));
    issues = issues.filter((i) => wanted.includes(i.status));
  } else if (flags.status === undefined && !flags.all && !flags.pinned) {
    issues = issues.filter((i) => i.status !== 'closed' && i.status !== 'pinned');
  }
  if (flags.assignee !== undefined) issues = issues.filter((i) => i.assignee === flags.assignee);
  if (flags.type !== undefined) issues = issues.filter((i) => i.issue_type === parseType(flags.type));
  for (const label of flags.label ?? [])
    issues = issues.filter((i) => (i.labels ?? []).includes(label.trim()));
  const titleNeedle = flags['title-contains'] ?? flags.title;
  if (titleNeedle !== undefined) {
    issues = issues.filter((i) => i.title.toLowerCase().includes(titleNeedle.toLowerCase()));
  }
  if (flags['desc-contains'] !== undefined) {
    issues = issues.filter((i) =>
      (i.description ?? '').toLowerCase().includes(flags['desc-contains'].toLowerCase()),
    );
  }
  // `--external-ref` is an exact match, `--external-contains` a case-insensitive substring; an
  // empty value is no filter (bd only sets the filter for a non-empty flag).
  if (flags['external-ref']) issues = issues.filter((i) => i.external_ref === flags['external-ref']);
  if (flags['external-contains']) {
    const needle = flags['external-contains'].toLowerCase();
    issues = issues.filter((i) => (i.external_ref ?? '').toLowerCase().includes(needle));
  }
  if (flags['updated-after'] !== undefined) {
    const after = parseDateFlag(flags['updated-after'], '--updated-after');
    issues = issues.filter((i) => Date.parse(i.updated_at) > after);
  }
  if (flags['updated-before'] !== undefined) {
    const before = parseDateFlag(flags['updated-before'], '--updated-before');
    issues = issues.filter((i) => Date.parse(i.updated_at) < before);
  }
  if (flags.priority !== undefined)
    issues = issues.filter((i) => i.priority === parsePriority(flags.priority));
  if (flags.parent !== undefined) issues = issues.filter((i) => parentOf(state, i.id) === flags.parent);
  if (flags['no-parent']) issues = issues.filter((i) => parentOf(state, i.id) === null);

  const sort = flags.sort ?? 'priority';
  const cmp = {
    priority: (a, b) =>
      a.priority - b.priority || b.created_at.localeCompare(a.created_at) || cmpStr(a.id, b.id),
    created: (a, b) => b.created_at.localeCompare(a.created_at) || cmpStr(a.id, b.id),
    updated: (a, b) => b.updated_at.localeCompare(a.updated_at) || cmpStr(a.id, b.id),
    id: (a, b) => cmpStr(a.id, b.id),
    title: (a, b) => cmpStr(a.title.toLowerCase(), b.title.toLowerCase()) || cmpStr(a.id, b.id),
    status: (a, b) => cmpStr(a.status, b.status) || cmpStr(a.id, b.id),
  }[sort];
  if (cmp === undefined) throw new BdError(`invalid sort field "${sort}"`, 'json-stderr');
  issues.sort(cmp);
  if (flags.reverse) issues.reverse();

  const limitRaw = flags.limit ?? (flags.all ? '0' : '50');
  const limit = Number.parseInt(limitRaw, 10);
  if (Number.isNaN(limit))
    throw new BdError(`invalid argument "${limitRaw}" for "-n, --limit" flag`, 'json-stderr');
  const total = issues.length;
  if (limit > 0) issues = issues.slice(0, limit);
  if (limit > 0 && total > limit) {
    process.stderr.write(
      `Showing ${limit} issues; more results matched but were hidden by --limit (use --limit 0 for all)\n`,
    );
  }
  return issues.map((issue) => {
    const parent = parentOf(state, issue.id);
    const deps = state.deps.filter((d) => d.issue_id === issue.id).map(depRecord);
    return {
      ...ordered(issue),
      ...(deps.length > 0 ? { dependencies: deps } : {}),
      ...counts(state, issue.id),
      ...(parent ? { parent } : {}),
    };
  });
}

function cmpStr(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function depRecord(dep) {
  return {
    issue_id: dep.issue_id,
    depends_on_id: dep.depends_on_id,
    type: dep.type,
    created_at: dep.created_at,
    ...(dep.created_by ? { created_by: dep.created_by } : {}),
  };
}

function cmdShow(state, args, flags) {
  if (args.length === 0) throw new BdError('requires at least 1 arg(s), only received 0', 'json-stderr');
  const found = [];
  let stderr = '';
  for (const raw of args) {
    let id;
    try {
      id = resolveId(state, raw);
    } catch (error) {
      stderr += `Error fetching ${raw}: ${error.message}\n`;
      continue;
    }
    if (id === null) {
      stderr += `Error fetching ${raw}: no issue found matching "${raw}"\n`;
      continue;
    }
    const issue = state.issues[id];
    const deps = state.deps
      .filter((d) => d.issue_id === id && state.issues[d.depends_on_id])
      .map((d) => ({ ...ordered(state.issues[d.depends_on_id]), dependency_type: d.type }));
    const parent = parentOf(state, id);
    const details = {
      ...ordered(issue),
      ...(deps.length > 0 ? { dependencies: deps } : {}),
      ...(parent ? { parent } : {}),
      ...counts(state, id),
    };
    if (flags['include-dependents']) {
      details.dependents = state.deps
        .filter((d) => d.depends_on_id === id && state.issues[d.issue_id])
        .map((d) => ({ ...ordered(state.issues[d.issue_id]), dependency_type: d.type }));
    }
    if (flags['include-comments']) details.comments = state.comments.filter((c) => c.issue_id === id);
    found.push(details);
  }
  if (found.length === 0) {
    return { error: 'no issues found matching the provided IDs', stderr };
  }
  return { payload: found, stderr };
}

function nextId(state, title, parent) {
  if (parent) {
    const n = (state.childSeq[parent] ?? 0) + 1;
    state.childSeq[parent] = n;
    return `${parent}.${n}`;
  }
  const size = Object.keys(state.issues).length;
  const length = size > 1500 ? 6 : size > 500 ? 5 : 4;
  for (;;) {
    state.seq += 1;
    const id = `${state.prefix}-${hashId(`${state.prefix}:${state.seq}:${title}`, '0123456789abcdefghijklmnopqrstuvwxyz', length)}`;
    if (!state.issues[id]) return id;
  }
}

function cmdCreate(state, args, flags) {
  const positional = args[0];
  if (positional !== undefined && flags.title !== undefined && positional !== flags.title) {
    throw new BdError(
      `cannot specify different titles as both positional argument and --title flag (got "${positional}" and "${flags.title}")`,
      'json-stderr',
    );
  }
  const title = positional ?? flags.title;
  if (title === undefined || title.trim() === '') throw new BdError('title required', 'json-stderr');
  if (args.length > 1) throw new BdError(`accepts at most 1 arg(s), received ${args.length}`, 'json-stderr');
  const type = parseType(flags.type ?? 'task');
  const priority = parsePriority(flags.priority ?? '2');
  const description = flags.description ?? flags.body ?? flags.message;
  let parent = null;
  if (flags.parent !== undefined && flags.parent !== '') {
    parent = resolveId(state, flags.parent);
    if (parent === null) throw new BdError(`parent issue ${flags.parent} not found`, 'json-stderr');
  }
  let metadata;
  if (flags.metadata !== undefined) {
    try {
      metadata = JSON.parse(flags.metadata);
    } catch {
      throw new BdError(`invalid --metadata JSON: ${flags.metadata}`, 'json-stderr');
    }
  }
  const labels = [
    ...new Set([...(flags.labels ?? []), ...(flags.label ?? [])].map((l) => l.trim()).filter(Boolean)),
  ];
  if (parent && !flags['no-inherit-labels']) {
    for (const label of state.issues[parent].labels ?? []) if (!labels.includes(label)) labels.push(label);
  }
  const id = flags.id ?? nextId(state, title, parent);
  if (state.issues[id]) throw new BdError(`issue ${id} already exists`, 'json-stderr');
  const now = nextTimestamp(state);
  const actor = process.env.BD_ACTOR ?? process.env.USER ?? 'fake-user';
  const issue = {
    id,
    title,
    description,
    notes: flags.notes,
    status: 'open',
    priority,
    issue_type: type,
    assignee: flags.assignee,
    owner: actor,
    created_at: now,
    created_by: actor,
    updated_at: now,
    external_ref: flags['external-ref'],
    metadata,
    labels,
  };
  state.issues[id] = issue;
  const printed = ordered(issue);
  if (parent)
    state.deps.push({
      issue_id: id,
      depends_on_id: parent,
      type: 'parent-child',
      created_at: now,
      created_by: actor,
    });
  if (flags.silent) return { write: true, raw: id };
  return { write: true, payload: printed };
}

function cmdUpdate(state, args, flags) {
  if (args.length === 0) throw new BdError('requires at least 1 arg(s), only received 0', 'json-stderr');
  // Validate values before touching anything, like bd.
  const status = flags.status === undefined ? undefined : parseStatus(flags.status, 'json-stdout');
  const priority = flags.priority === undefined ? undefined : parsePriority(flags.priority);
  const type = flags.type === undefined ? undefined : parseType(flags.type);
  if (flags.title !== undefined && flags.title.trim() === '')
    throw new BdError('title cannot be empty', 'json-stdout');
  const updated = [];
  let stderr = '';
  for (const raw of args) {
    let id;
    try {
      id = resolveId(state, raw);
    } catch (error) {
      stderr += `Error resolving ${raw}: ${error.message}\n`;
      continue;
    }
    if (id === null) {
      stderr += `Error resolving ${raw}: no issue found matching "${raw}"\n`;
      continue;
    }
    const issue = state.issues[id];
    const now = nextTimestamp(state);
    if (status !== undefined) {
      issue.status = status;
      if (status === 'closed') {
        issue.closed_at = now;
        issue.close_reason = issue.close_reason ?? 'Closed';
      } else {
        delete issue.closed_at;
        delete issue.close_reason;
      }
    }
    if (priority !== undefined) issue.priority = priority;
    if (flags.title !== undefined) issue.title = flags.title;
    if (flags.description !== undefined) issue.description = flags.description;
    if (type !== undefined) issue.issue_type = type;
    if (flags.assignee !== undefined) issue.assignee = flags.assignee;
    if (flags['external-ref'] !== undefined) issue.external_ref = flags['external-ref'];
    if (flags.notes !== undefined) issue.notes = flags.notes;
    if (flags.metadata !== undefined) {
      try {
        issue.metadata = JSON.parse(flags.metadata);
      } catch {
        throw new BdError(`invalid --metadata JSON: ${flags.metadata}`, 'json-stdout');
      }
    }
    let labels = issue.labels ?? [];
    const setLabels = (flags['set-labels'] ?? []).map((l) => l.trim()).filter(Boolean);
    if (setLabels.length > 0) labels = [...new Set(setLabels)];
    for (const label of flags['add-label'] ?? []) if (!labels.includes(label)) labels = [...labels, label];
    for (const label of flags['remove-label'] ?? []) labels = labels.filter((l) => l !== label);
    issue.labels = labels;
    if (flags.parent !== undefined) {
      state.deps = state.deps.filter((d) => !(d.issue_id === id && d.type === 'parent-child'));
      if (flags.parent !== '') {
        const parent = resolveId(state, flags.parent);
        if (parent === null) throw new BdError(`parent issue ${flags.parent} not found`, 'json-stdout');
        if (parent === id) throw new BdError('an issue cannot be its own parent', 'json-stdout');
        state.deps.push({ issue_id: id, depends_on_id: parent, type: 'parent-child', created_at: now });
      }
    }
    issue.updated_at = now;
    updated.push(ordered(issue));
  }
  if (updated.length === 0) return { stderr, exitCode: 1 };
  return { write: true, payload: updated, stderr };
}

function cmdClose(state, args, flags) {
  if (args.length === 0) throw new BdError('requires at least 1 arg(s), only received 0', 'json-stderr');
  const closed = [];
  let stderr = '';
  for (const raw of args) {
    const id = resolveId(state, raw);
    if (id === null) {
      stderr += `Error resolving ${raw}: no issue found matching "${raw}"\n`;
      continue;
    }
    const blockers = state.deps.filter(
      (d) => d.issue_id === id && d.type === 'blocks' && state.issues[d.depends_on_id]?.status !== 'closed',
    );
    if (blockers.length > 0 && !flags.force) {
      stderr += `cannot close ${id}: blocked by open issues ${blockers.map((b) => b.depends_on_id).join(', ')} (use --force to override)\n`;
      continue;
    }
    const issue = state.issues[id];
    const now = nextTimestamp(state);
    issue.status = 'closed';
    issue.closed_at = now;
    issue.close_reason = flags.reason ?? 'Closed';
    issue.updated_at = now;
    closed.push(ordered(issue));
  }
  if (closed.length === 0) return { stderr, exitCode: 1 };
  return { write: true, payload: closed, stderr };
}

function cmdDepAdd(state, args, flags) {
  const issueRaw = args[0];
  const targetRaw = args[1] ?? flags['blocked-by'] ?? flags['depends-on'];
  if (issueRaw === undefined || targetRaw === undefined) {
    throw new BdError('requires two issue IDs: bd dep add <issue> <depends-on>', 'json-stdout');
  }
  const type = flags.type ?? 'blocks';
  if (type.trim() === '') throw new BdError('dependency type cannot be empty', 'json-stdout');
  if (type.length > 50) throw new BdError('dependency type must be 50 characters or less', 'json-stdout');
  const issueId = resolveId(state, issueRaw);
  if (issueId === null)
    throw new BdError(`resolving issue ID ${issueRaw}: no issue found matching "${issueRaw}"`, 'json-stdout');
  const targetId = resolveId(state, targetRaw);
  if (targetId === null)
    throw new BdError(
      `resolving dependency ID ${targetRaw}: no issue found matching "${targetRaw}"`,
      'json-stdout',
    );
  if (issueId === targetId) throw new BdError('cannot add self-dependency', 'json-stdout');
  if (type !== 'parent-child' && parentOf(state, issueId) === targetId) {
    throw new BdError(
      `cannot add dependency: ${issueId} is already a child of ${targetId}. Children inherit dependency on parent completion via hierarchy. Adding an explicit dependency would create a deadlock`,
      'json-stdout',
    );
  }
  const now = nextTimestamp(state);
  const existing = state.deps.find((d) => d.issue_id === issueId && d.depends_on_id === targetId);
  if (existing) existing.type = type;
  else state.deps.push({ issue_id: issueId, depends_on_id: targetId, type, created_at: now });
  return { write: true, payload: { status: 'added', issue_id: issueId, depends_on_id: targetId, type } };
}

function cmdDepRemove(state, args) {
  const [a, b] = args;
  const before = state.deps.length;
  state.deps = state.deps.filter((d) => !(d.issue_id === a && d.depends_on_id === b));
  if (state.deps.length === before) throw new BdError(`dependency ${a} -> ${b} not found`, 'json-stdout');
  return { write: true, payload: { status: 'removed', issue_id: a, depends_on_id: b } };
}

function cmdCommentAdd(state, args, flags) {
  const raw = args[0];
  if (raw === undefined) throw new BdError('requires an issue ID', 'json-stdout');
  const text = args.slice(1).join(' ');
  if (text.trim() === '') throw new BdError('comment text cannot be empty', 'json-stdout');
  const id = resolveId(state, raw);
  if (id === null) throw new BdError(`issue ${raw} not found`, 'json-stdout');
  const now = nextTimestamp(state);
  state.seq += 1;
  const comment = {
    id: `0190${hashId(`comment:${state.seq}`, '0123456789abcdef', 4)}-0000-7000-8000-${String(state.seq).padStart(12, '0')}`,
    issue_id: id,
    author: flags.author ?? process.env.BD_ACTOR ?? process.env.USER ?? 'fake-user',
    text,
    created_at: now,
  };
  state.comments.push(comment);
  return { write: true, payload: comment };
}

function cmdCommentsList(state, args) {
  const id = resolveId(state, args[0] ?? '');
  if (id === null) throw new BdError(`issue ${args[0]} not found`, 'json-stdout');
  return { payload: state.comments.filter((c) => c.issue_id === id) };
}

main(process.argv.slice(2));
