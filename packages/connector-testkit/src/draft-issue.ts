import {
  type CanonicalIssue,
  type CanonicalIssueInit,
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  type ExternalRefInit,
} from '@spec-kitty/core';

/** `draftIssue` input: any issue field, and `ref` as a plain `{ system, workspace, id }`. */
export type DraftIssueInit = Partial<Omit<CanonicalIssueInit, 'ref'>> & { ref?: ExternalRefInit };

/**
 * A valid local issue for tests, to create or sync: title `Draft issue`, status `todo`, type
 * `task`, ref `local/drafts/<title>`; every field can be overridden.
 *
 * ```ts
 * await connector.createIssue(draftIssue({ title: 'Crash on start', labels: ['bug'] }));
 * ```
 */
export function draftIssue(init: DraftIssueInit = {}): CanonicalIssue {
  const title = init.title ?? 'Draft issue';
  return createIssue({
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    ...init,
    title,
    ref: createRef(init.ref ?? { system: 'local', workspace: 'drafts', id: title.trim() || 'draft' }),
  });
}
