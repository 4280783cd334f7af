import { InMemoryConnector } from '@spec-kitty/connector-memory';
import {
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  type ExternalRef,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { newDraftId, withLocalDrafts } from './local-drafts';

const ref = (id: string) => createRef({ system: 'memory', workspace: 'demo', id });
const issue = (id: string) =>
  createIssue({
    ref: ref(id),
    title: `Issue ${id}`,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
  });

describe('withLocalDrafts', () => {
  it('getIssues never asks the tracker about a draft it never received, and asks about the rest', async () => {
    const tracker = new InMemoryConnector({ name: 'memory', workspace: 'demo' });
    const created = newDraftId();
    const pending = newDraftId();
    for (const id of ['T-1', 'T-2', created, pending]) tracker.seed(issue(id));
    const asked: string[][] = [];
    const read = tracker.getIssues.bind(tracker);
    tracker.getIssues = (refs: readonly ExternalRef[]) => {
      asked.push(refs.map(({ id }) => id));
      return read(refs);
    };
    // `created` has a sync base (the tracker made it under its local id); `pending` does not.
    const wrapped = withLocalDrafts(tracker, async ({ id }) => id === created);
    const found = await wrapped.getIssues?.([ref('T-1'), ref(pending), ref(created), ref('T-2')]);
    expect(asked).toEqual([['T-1', created, 'T-2']]);
    expect(found?.map(({ ref: { id } }) => id)).toEqual(['T-1', created, 'T-2']);
    // Only drafts: no request at all.
    expect(await wrapped.getIssues?.([ref(pending)])).toEqual([]);
    expect(asked).toHaveLength(1);
  });

  it('a connector without a bulk read keeps none', () => {
    const tracker = new InMemoryConnector({ name: 'memory', workspace: 'demo' });
    Object.defineProperty(tracker, 'getIssues', { value: undefined });
    expect(withLocalDrafts(tracker, async () => false).getIssues).toBeUndefined();
  });
});
