import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  LinkType,
} from '@spec-kitty/core';
import { afterEach, beforeEach } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';

export const CHILD_SCRIPT = fileURLToPath(new URL('../test-fixtures/store-child.mjs', import.meta.url));

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A temp directory per test and the stores a test opens in it, closed (`close`) and removed after
 * each test. Registers vitest hooks: call it at the top of a test file.
 */
export function storesInTempDir() {
  let current: { dir: string; cleanup: () => void } | null = null;
  const opened: SqliteIssueStore[] = [];
  beforeEach(() => {
    current = tempDir();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    current?.cleanup();
    current = null;
  });
  const dir = (): string => {
    if (current === null) throw new Error('storesInTempDir: used outside a test');
    return current.dir;
  };
  /** Closes `store` after the test (for stores a test opens itself). */
  const track = (store: SqliteIssueStore): SqliteIssueStore => {
    opened.push(store);
    return store;
  };
  const openStore = (name = 'store.db'): SqliteIssueStore => track(SqliteIssueStore.open(join(dir(), name)));
  return { dir, openStore, track };
}

export function sampleIssue(
  id: string,
  overrides: Partial<Parameters<typeof createIssue>[0]> = {},
): CanonicalIssue {
  return createIssue({
    ref: createRef({
      system: 'github',
      workspace: 'octo/hello',
      id,
      key: `#${id}`,
      url: `https://example.test/${id}`,
    }),
    title: `Issue ${id}`,
    body: 'Body with ünïcödé and "quotes"',
    status: CanonicalStatus.IN_PROGRESS,
    issueType: CanonicalIssueType.BUG,
    priority: 2,
    assignees: ['ada', 'grace'],
    labels: ['sync', 'p1'],
    parent: createRef({ system: 'github', workspace: 'octo/hello', id: 'parent-1' }),
    links: [
      {
        type: LinkType.BLOCKS,
        target: createRef({ system: 'github', workspace: 'octo/hello', id: 'other' }),
      },
    ],
    customFields: { points: 3, nested: { a: [1, 'two', null, true] } },
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    updatedAt: new Date('2026-02-03T04:05:06.789Z'),
    raw: { number: Number(id) || 0, html: '<p>x</p>' },
    ...overrides,
  });
}

/** A child running test-fixtures/store-child.mjs with line-wise stdout. */
export function startChild(args: string[]) {
  const child = spawn(process.execPath, [CHILD_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let buffer = '';
  const waiters: { test: (line: string) => boolean; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      newline = buffer.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(test: (line: string) => boolean, timeoutMs = 15_000): Promise<void> {
      if (lines.some(test)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child did not print the expected line; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          test,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(new Error(`child exited (${code}) before the expected line; stderr: ${stderr}`));
        });
      });
    },
  };
}

/** A GitHub REST issue as the API returns it (about 3.5 KB of JSON), for realistic raw payloads. */
export function githubRaw(index: number): Record<string, unknown> {
  const number = index + 1;
  const repo = 'https://api.github.com/repos/octo/hello';
  const user = (login: string, id: number) => ({
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `https://api.github.com/users/${login}/followers`,
    following_url: `https://api.github.com/users/${login}/following{/other_user}`,
    gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`,
    starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `https://api.github.com/users/${login}/subscriptions`,
    organizations_url: `https://api.github.com/users/${login}/orgs`,
    repos_url: `https://api.github.com/users/${login}/repos`,
    events_url: `https://api.github.com/users/${login}/events{/privacy}`,
    received_events_url: `https://api.github.com/users/${login}/received_events`,
    type: 'User',
    user_view_type: 'public',
    site_admin: false,
  });
  return {
    url: `${repo}/issues/${number}`,
    repository_url: repo,
    labels_url: `${repo}/issues/${number}/labels{/name}`,
    comments_url: `${repo}/issues/${number}/comments`,
    events_url: `${repo}/issues/${number}/events`,
    html_url: `https://github.com/octo/hello/issues/${number}`,
    id: 2_000_000_000 + index,
    node_id: `I_kwDOABCDEF${number}`,
    number,
    title: `Issue ${number}: the widget fails when the gadget is empty`,
    user: user('octocat', 583231),
    labels: [
      {
        id: 208045946,
        node_id: 'MDU6TGFiZWwyMDgwNDU5NDY=',
        url: `${repo}/labels/bug`,
        name: 'bug',
        color: 'd73a4a',
        default: true,
        description: "Something isn't working",
      },
    ],
    state: 'open',
    locked: false,
    assignee: user('hubot', 480938),
    assignees: [user('hubot', 480938)],
    milestone: null,
    comments: index % 7,
    created_at: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
    updated_at: new Date(Date.UTC(2026, 0, 2) + index * 1000).toISOString(),
    closed_at: null,
    author_association: 'CONTRIBUTOR',
    active_lock_reason: null,
    sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
    body: `Steps to reproduce issue ${number}:\n1. Open the widget.\n2. Empty the gadget.\n\nExpected: nothing breaks. Actual: a stack trace.`,
    closed_by: null,
    reactions: {
      url: `${repo}/issues/${number}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
    timeline_url: `${repo}/issues/${number}/timeline`,
    performed_via_github_app: null,
    state_reason: null,
  };
}
