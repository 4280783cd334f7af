import { randomUUID } from 'node:crypto';
import {
  type CanonicalIssue,
  type ExternalRef,
  IssueNotFoundError,
  type IssueTombstone,
  type TrackerConnector,
} from '@spec-kitty/core';

// Issues made by `issues create` carry a local id until the tracker assigns its own. The `~` is in
// no tracker's id syntax (numbers, PROJ-12, bd prefix-hash, UUIDs), so a draft id never collides.
const DRAFT_PREFIX = 'new~';

/** A fresh local id for an issue the tracker does not have yet, e.g. `new~1a2b3c4d`. */
export function newDraftId(): string {
  return `${DRAFT_PREFIX}${randomUUID().slice(0, 8)}`;
}

export function isDraftRef(ref: Pick<ExternalRef, 'id'>): boolean {
  return ref.id.startsWith(DRAFT_PREFIX);
}

/**
 * The connector, except that looking up a draft the tracker never received answers "not found"
 * without a request (GitLab and Azure DevOps ids are numbers: `new~…` in their URLs is an invalid
 * request), so the push creates it; a bulk read (`getIssues`) leaves it out for the same reason;
 * and `checkGone` is never asked about such a draft (the tracker would answer "no such issue",
 * and the draft would be taken for a deletion). A draft
 * that was created under its own id (the memory tracker keeps the caller's id) has a sync base,
 * and is looked up as usual.
 */
export function withLocalDrafts(
  connector: TrackerConnector,
  wasSynced: (ref: ExternalRef) => Promise<boolean>,
): TrackerConnector {
  const getIssue = async (ref: ExternalRef, options?: { signal?: AbortSignal }) => {
    if (isDraftRef(ref) && !(await wasSynced(ref))) {
      throw new IssueNotFoundError(`${ref.id} is a local issue not created on the tracker yet`);
    }
    return connector.getIssue(ref, options);
  };
  // A bulk method (`checkGone`, `getIssues`) asked only about refs the tracker may know: no
  // draft it never received (none asked at all: no request).
  const exceptDrafts = <T>(
    method: ((refs: readonly ExternalRef[], options?: { signal?: AbortSignal }) => Promise<T[]>) | undefined,
  ) =>
    method === undefined
      ? undefined
      : async (refs: readonly ExternalRef[], options?: { signal?: AbortSignal }): Promise<T[]> => {
          const asked: ExternalRef[] = [];
          for (const ref of refs) if (!isDraftRef(ref) || (await wasSynced(ref))) asked.push(ref);
          return asked.length === 0 ? [] : method(asked, options);
        };
  const checkGone = exceptDrafts<IssueTombstone>(connector.checkGone?.bind(connector));
  const getIssues = exceptDrafts<CanonicalIssue>(connector.getIssues?.bind(connector));
  return new Proxy(connector, {
    get(target, property) {
      if (property === 'getIssue') return getIssue;
      if (property === 'checkGone') return checkGone;
      if (property === 'getIssues') return getIssues;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
