// Test-only builders.
import { CanonicalIssueType, CanonicalStatus } from '../../model/enums';
import { createRef, type ExternalRef } from '../../model/external-ref';
import { type CanonicalIssue, type CanonicalIssueInit, createIssue } from '../../model/issue';
import { InMemoryIssueStore } from '../../store/in-memory-issue-store';
import type { IssueStore } from '../../store/issue-store';

export function ref(id: string, system = 'memory', workspace = 'demo'): ExternalRef {
  return createRef({ system, workspace, id });
}

export function issue(id: string, init: Partial<CanonicalIssueInit> = {}): CanonicalIssue {
  return createIssue({
    ref: ref(id),
    title: `Issue ${id}`,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    ...init,
  });
}

export const at = (iso: string): Date => new Date(iso);

/** A store that is only an IssueStore (no sync bases, no checkpoints): the original's behaviour. */
export function plainStore(): IssueStore & { inner: InMemoryIssueStore } {
  const inner = new InMemoryIssueStore();
  return {
    inner,
    listIssues: (query) => inner.listIssues(query),
    getIssue: (r) => inner.getIssue(r),
    upsertIssue: (i) => inner.upsertIssue(i),
    deleteIssue: (r) => inner.deleteIssue(r),
  };
}

export const noSleep = async (): Promise<void> => {};
