// Test-only tracker that, like GitHub, can hold only open/closed and no priority: it stores every
// written issue as its projection, so a rich local value reads back differently.
import type { ExternalRef } from '../../model/external-ref';
import { type CanonicalIssue, cloneIssue } from '../../model/issue';
import type { IssuePatch, WriteOptions } from '../../protocol/connector';
import { FakeTracker, type FakeTrackerOptions } from './fake-tracker';

const OPEN_STATUSES: ReadonlySet<string> = new Set(['in_progress', 'in_review', 'blocked']);

/** GitHub-like projection: open statuses read back as `todo`, priority is not kept. */
export function projectLossy(issue: CanonicalIssue): CanonicalIssue {
  const status = OPEN_STATUSES.has(issue.status) ? 'todo' : issue.status;
  if (status === issue.status && issue.priority === null) return issue;
  return cloneIssue(issue, { status, priority: null });
}

export class LossyTracker extends FakeTracker {
  /** The declared projection; null models a connector that does not declare one (the echo loop). */
  projection: ((issue: CanonicalIssue) => CanonicalIssue) | null = projectLossy;

  constructor(options: FakeTrackerOptions = {}) {
    super(options);
    // An own property, so `connector.projectIssue` is absent when the test clears it.
    Object.defineProperty(this, 'projectIssue', { get: () => this.projection ?? undefined });
  }

  override async createIssue(issue: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue> {
    return super.createIssue(projectLossy(issue), options);
  }

  override async updateIssue(
    ref: ExternalRef,
    patch: IssuePatch,
    options?: WriteOptions,
  ): Promise<CanonicalIssue> {
    const stored = await super.updateIssue(ref, patch, options);
    const projected = projectLossy(stored);
    if (projected !== stored) this.seed(projected);
    return projected;
  }
}
