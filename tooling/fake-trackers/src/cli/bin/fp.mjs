#!/usr/bin/env node
// Fake `fp` (fp.dev by Fiberplane, ~0.25) for tests: the subcommands spec-kitty's FP connector uses,
// printing human-readable lines (`FP-abcdefgh [todo] [high] Title`) and prose errors with exit 1.
// State lives in `.fp/fake-fp.json`, found by walking up from the cwd. The real fp is closed source,
// so several text shapes are assumptions; see ../README.md.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
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

const STATE_FILE = 'fake-fp.json';
const DEFAULT_STATUSES = ['todo', 'in-progress', 'done'];
const PRIORITIES = ['low', 'medium', 'high', 'critical'];
const PRIORITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 };

class FpError extends Error {}

const COMMAND_FLAGS = {
  init: [['prefix', null, 'string']],
  'issue list': [
    ['status', null, 'string'],
    ['format', null, 'string'],
  ],
  'issue show': [['format', null, 'string']],
  'issue create': [
    ['title', null, 'string'],
    ['description', null, 'string'],
    ['parent', null, 'string'],
    ['depends', null, 'string'],
    ['priority', null, 'string'],
    ['status', null, 'string'],
  ],
  'issue update': [
    ['status', null, 'string'],
    ['priority', null, 'string'],
    ['depends', null, 'string'],
    ['title', null, 'string'],
    ['description', null, 'string'],
    ['parent', null, 'string'],
    ['comment', null, 'string'],
  ],
  context: [
    ['format', null, 'string'],
    ['current', null, 'bool'],
    ['include-children', null, 'bool'],
  ],
  comment: [],
  'comment list': [['format', null, 'string']],
  tree: [],
};

function commandPathOf(words) {
  const [first, second] = words;
  if (first === 'issue' && second !== undefined) return `issue ${second}`;
  if (first === 'comment' && second === 'list') return 'comment list';
  return first ?? '';
}

function main(argv) {
  const words = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
    if (words.length === 2) break;
  }
  const commandPath = commandPathOf(words);
  const spec = COMMAND_FLAGS[commandPath];
  if (spec === undefined) {
    process.stderr.write(
      `error: unrecognized subcommand '${words.join(' ')}'\n\nUsage: fp <COMMAND>\n\nFor more information, try '--help'.\n`,
    );
    process.exitCode = 2;
    return;
  }
  let parsed;
  try {
    parsed = parseFlags(argv, { ...flagSpec(spec), ...flagSpec([['version', 'V', 'bool']]) });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(
      `error: ${error.message.replace('unknown flag', 'unexpected argument')} found\n\nUsage: fp ${commandPath} [OPTIONS]\n`,
    );
    process.exitCode = 2;
    return;
  }
  const args = parsed.positionals.slice(commandPath.split(' ').length);
  const { flags } = parsed;

  if (commandPath === 'init') return cmdInit(flags);

  const fpDir = findUp(process.cwd(), '.fp');
  logCall(fpDir, 'fp', argv);
  const shaping = applyPreFaults(activeFaults('fp', fpDir, commandPath));
  if (shaping.hang) return;
  if (fpDir === null || !existsSync(join(fpDir, STATE_FILE))) {
    process.stderr.write("Error: .fp directory not found. Run 'fp init' to initialise a project here.\n");
    process.exitCode = 1;
    return;
  }
  try {
    const out = withState(
      fpDir,
      STATE_FILE,
      () => null,
      (state) => dispatch(state, commandPath, args, flags),
    );
    emit(out.text, shaping, '\n');
  } catch (error) {
    if (!(error instanceof FpError)) throw error;
    process.stderr.write(`Error: ${error.message}\n`);
    process.exitCode = 1;
  }
}

function cmdInit(flags) {
  const dir = join(process.cwd(), '.fp');
  mkdirSync(join(dir, 'issues'), { recursive: true });
  const prefix = (
    flags.prefix ??
    (basename(process.cwd())
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 5) ||
      'FP')
  ).toUpperCase();
  withState(
    dir,
    STATE_FILE,
    () => ({
      version: 1,
      prefix,
      statuses: [...DEFAULT_STATUSES],
      issues: {},
      order: [],
      comments: [],
      seq: 0,
    }),
    () => ({ write: true }),
  );
  process.stdout.write(`Initialized fp project in ${dir} (prefix ${prefix})\n`);
}

function dispatch(state, commandPath, args, flags) {
  switch (commandPath) {
    case 'issue list':
      return { text: cmdList(state, flags) };
    case 'issue show':
      return { text: cmdShow(state, args, flags) };
    case 'issue create':
      return cmdCreate(state, flags);
    case 'issue update':
      return cmdUpdate(state, args, flags);
    case 'context':
      return { text: cmdContext(state, args) };
    case 'comment':
      return cmdComment(state, args);
    case 'comment list':
      return { text: cmdCommentList(state, args) };
    case 'tree':
      return { text: cmdTree(state) };
    default:
      throw new FpError(`unsupported command ${commandPath}`);
  }
}

function lookup(state, raw) {
  if (raw === undefined) throw new FpError('missing issue id');
  const issue =
    state.issues[raw] ??
    Object.values(state.issues).find((i) => i.shortId.toLowerCase() === raw.toLowerCase());
  if (!issue) throw new FpError(`Issue ${raw} not found`);
  return issue;
}

function checkStatus(state, raw) {
  if (!state.statuses.includes(raw)) {
    throw new FpError(`Invalid status '${raw}'. Registered statuses: ${state.statuses.join(', ')}`);
  }
  return raw;
}

function checkPriority(raw) {
  const lower = raw.trim().toLowerCase();
  if (!PRIORITIES.includes(lower))
    throw new FpError(`Invalid priority '${raw}'. Valid priorities: ${PRIORITIES.join(', ')}`);
  return lower;
}

function parseDepends(state, raw) {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => lookup(state, id).shortId);
}

function line(issue) {
  return `${issue.shortId} [${issue.status}]${issue.priority ? ` [${issue.priority}]` : ''} ${issue.title}`;
}

function sorted(state, issues) {
  return [...issues].sort(
    (a, b) =>
      state.statuses.indexOf(a.status) - state.statuses.indexOf(b.status) ||
      (PRIORITY_RANK[a.priority] ?? 4) - (PRIORITY_RANK[b.priority] ?? 4) ||
      a.seq - b.seq,
  );
}

function toJson(state, issue, detail) {
  const base = {
    id: issue.id,
    [detail ? 'displayId' : 'shortId']: issue.shortId,
    title: issue.title,
    description: issue.description ?? null,
    status: issue.status,
    priority: issue.priority ?? null,
    parent: issue.parent ? (state.issues[issue.parent]?.id ?? null) : null,
    dependencies: issue.depends,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
  };
  if (detail) {
    base.author = issue.author;
    base.properties = {};
    base.comments = state.comments.filter((c) => c.issueId === issue.id);
  }
  return base;
}

function cmdList(state, flags) {
  let issues = Object.values(state.issues);
  if (flags.status !== undefined) {
    checkStatus(state, flags.status);
    issues = issues.filter((i) => i.status === flags.status);
  }
  issues = sorted(state, issues);
  if (flags.format === 'json')
    return `${JSON.stringify({ issues: issues.map((i) => toJson(state, i, false)) }, null, 2)}\n`;
  if (issues.length === 0) return 'No issues found\n';
  return issues.map((i) => `${line(i)}\n`).join('');
}

function cmdShow(state, args, flags) {
  const issue = lookup(state, args[0]);
  if (flags.format === 'json') return `${JSON.stringify(toJson(state, issue, true), null, 2)}\n`;
  const out = [line(issue), ''];
  if (issue.description) out.push(issue.description, '');
  if (issue.parent) out.push(`Parent: ${issue.parent}`);
  if (issue.depends.length > 0) out.push(`Blocked by: ${issue.depends.join(', ')}`);
  out.push(`Author: ${issue.author}`, `Created: ${issue.createdAt}`, `Updated: ${issue.updatedAt}`);
  return `${out.join('\n')}\n`;
}

function cmdContext(state, args) {
  const issue = lookup(state, args[0]);
  const out = [`# ${issue.shortId}: ${issue.title}`, '', `Status: ${issue.status}`];
  if (issue.priority) out.push(`Priority: ${issue.priority}`);
  if (issue.parent) out.push(`Parent: ${issue.parent}`);
  if (issue.depends.length > 0) out.push(`Blocked by: ${issue.depends.join(', ')}`);
  if (issue.description) out.push('', '## Description', '', issue.description);
  const comments = state.comments.filter((c) => c.issueId === issue.id);
  if (comments.length > 0) {
    out.push('', '## Comments', '');
    for (const c of comments) out.push(`- ${c.author} (${c.createdAt}): ${c.content}`);
  }
  return `${out.join('\n')}\n`;
}

function cmdCreate(state, flags) {
  if (flags.title === undefined || flags.title.trim() === '') throw new FpError('--title is required');
  const priority = flags.priority === undefined ? null : checkPriority(flags.priority);
  const status = flags.status === undefined ? 'todo' : checkStatus(state, flags.status);
  const parent = flags.parent === undefined ? null : lookup(state, flags.parent).shortId;
  const depends = flags.depends === undefined ? [] : parseDepends(state, flags.depends);
  state.seq += 1;
  let shortId;
  for (let salt = 0; ; salt++) {
    shortId = `${state.prefix}-${hashId(`${state.prefix}:${state.seq}:${salt}`, 'abcdefghijklmnopqrstuvwxyz', 8)}`;
    if (!state.issues[shortId]) break;
  }
  const now = nextTimestamp(state);
  state.issues[shortId] = {
    id: `iss_${hashId(shortId, '0123456789abcdef', 16)}`,
    shortId,
    seq: state.seq,
    title: flags.title,
    description: flags.description ?? null,
    status,
    priority,
    parent,
    depends,
    author: process.env.FP_AGENT ?? 'fake-agent',
    createdAt: now,
    updatedAt: now,
  };
  return { write: true, text: `Created issue ${shortId}: ${flags.title}\n` };
}

function cmdUpdate(state, args, flags) {
  if (args.length === 0) throw new FpError('missing issue id');
  const issue = lookup(state, args[args.length - 1]);
  const changes = [];
  if (flags.status !== undefined) {
    issue.status = checkStatus(state, flags.status);
    changes.push(`status → ${issue.status}`);
  }
  if (flags.priority !== undefined) {
    issue.priority = checkPriority(flags.priority);
    changes.push(`priority → ${issue.priority}`);
  }
  if (flags.depends !== undefined) {
    // fp semantics: --depends replaces the whole dependency list.
    const depends = parseDepends(state, flags.depends);
    if (depends.includes(issue.shortId)) throw new FpError(`Issue ${issue.shortId} cannot depend on itself`);
    issue.depends = depends;
    changes.push(`depends → ${depends.join(', ') || '(none)'}`);
  }
  if (flags.title !== undefined) {
    issue.title = flags.title;
    changes.push('title');
  }
  if (flags.description !== undefined) {
    issue.description = flags.description;
    changes.push('description');
  }
  if (flags.parent !== undefined) {
    issue.parent = flags.parent === '' ? null : lookup(state, flags.parent).shortId;
    changes.push('parent');
  }
  if (flags.comment !== undefined) addComment(state, issue, flags.comment);
  if (changes.length === 0 && flags.comment === undefined) throw new FpError('No changes specified');
  issue.updatedAt = nextTimestamp(state);
  return {
    write: true,
    text: `Updated issue ${issue.shortId}${changes.length > 0 ? ` (${changes.join('; ')})` : ''}\n`,
  };
}

function addComment(state, issue, content) {
  state.seq += 1;
  state.comments.push({
    id: `cmt_${hashId(`c${state.seq}`, '0123456789abcdef', 12)}`,
    issueId: issue.id,
    content,
    author: process.env.FP_AGENT ?? 'fake-agent',
    createdAt: nextTimestamp(state),
  });
}

function cmdComment(state, args) {
  const [raw, ...rest] = args;
  const issue = lookup(state, raw);
  const text = rest.join(' ');
  if (text.trim() === '') throw new FpError('Comment text cannot be empty');
  addComment(state, issue, text);
  issue.updatedAt = nextTimestamp(state);
  return { write: true, text: `Added comment to ${issue.shortId}\n` };
}

function cmdCommentList(state, args) {
  const issue = lookup(state, args[0]);
  const comments = state.comments
    .filter((c) => c.issueId === issue.id)
    .map((c) => ({ id: c.id, content: c.content, author: c.author, createdAt: c.createdAt }))
    .reverse();
  return `${JSON.stringify({ comments }, null, 2)}\n`;
}

function cmdTree(state) {
  const issues = sorted(state, Object.values(state.issues));
  const children = (parent) => issues.filter((i) => i.parent === parent);
  const out = [];
  const walk = (issue, prefix, last, root) => {
    out.push(root ? line(issue) : `${prefix}${last ? '└── ' : '├── '}${line(issue)}`);
    const childPrefix = root ? '' : `${prefix}${last ? '    ' : '│   '}`;
    const kids = children(issue.shortId);
    if (issue.depends.length > 0)
      out.push(`${childPrefix}${kids.length > 0 ? '├── ' : '└── '}blocked by: ${issue.depends.join(', ')}`);
    kids.forEach((kid, index) => {
      walk(kid, childPrefix, index === kids.length - 1, false);
    });
  };
  for (const root of children(null)) walk(root, '', true, true);
  return `${out.join('\n')}\n`;
}

main(process.argv.slice(2));
