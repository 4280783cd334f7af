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

export const CHILD_SCRIPT = fileURLToPath(new URL('../test-fixtures/store-child.mjs', import.meta.url));

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
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
