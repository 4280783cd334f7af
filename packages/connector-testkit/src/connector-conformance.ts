import {
  CAPABILITY_FLAGS,
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  CapabilityNotSupportedError,
  CORE_ISSUE_FIELDS,
  createIssue,
  createLink,
  createRef,
  type ExternalRef,
  IssueNotFoundError,
  type IssuePatch,
  IssuePayloadContractError,
  LinkType,
  refIdentity,
  type TrackerCapabilities,
  type TrackerConnector,
} from '@spec-kitty/core';
import { syncFieldEqual } from '@spec-kitty/core/internal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineTombstoneChecks, type TombstoneHooks } from './tombstone-conformance';

/**
 * What the suite's factory returns: a connector over an empty tracker, and hooks into its fake.
 * `removeIssue` is required when the connector declares `capabilities.reportsDeletions`.
 */
export interface ConnectorUnderTest extends TombstoneHooks {
  connector: TrackerConnector;
  /** Stops fakes, closes the connector, removes temp folders. */
  cleanup?: () => Promise<void> | void;
}

export interface ConnectorConformanceOptions {
  /** Suite title, e.g. 'GitHubConnector against the GitHub fake'. */
  name: string;
  /** A fresh connector over an empty tracker per test. */
  factory: () => Promise<ConnectorUnderTest> | ConnectorUnderTest;
  /** `ExternalRef.workspace` the connector produces (used for draft refs and missing-issue refs). */
  workspace: string;
  /** A ref that does not exist in the fresh tracker (default: id '999999'). */
  missingRef?: ExternalRef;
  /** Secrets the connector was configured with; they must never appear in errors or `raw`. */
  secrets?: readonly string[];
  /** Opt out of checks the tracker cannot model, with a reason documented in the connector's README. */
  skip?: Partial<Record<ConformanceCheck, string>>;
  /** Page size used by the pagination check (default 2, with 5 issues). */
  pageSize?: number;
}

export type ConformanceCheck =
  | 'createAndGet'
  | 'pagination'
  | 'updatedSince'
  | 'updateFields'
  | 'unknownPatchKey'
  | 'transition'
  | 'labels'
  | 'comments'
  | 'links'
  | 'events'
  | 'findCreatedIssue'
  | 'projectIssue'
  | 'missingIssue'
  | 'getIssues'
  | 'secrets';

function draft(
  connector: TrackerConnector,
  workspace: string,
  seq: number,
  overrides: Partial<Parameters<typeof createIssue>[0]> = {},
) {
  return createIssue({
    ref: createRef({ system: connector.name, workspace, id: `conformance-${seq}` }),
    title: `Conformance issue ${seq}`,
    body: `Body ${seq}`,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    ...overrides,
  });
}

async function listAll(
  connector: TrackerConnector,
  limit: number,
  updatedSince: Date | null = null,
): Promise<CanonicalIssue[]> {
  const items: CanonicalIssue[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await connector.listIssues({ updatedSince, cursor, limit });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    expect(page.nextCursor, 'a next cursor must move forward').not.toBe(cursor);
    cursor = page.nextCursor;
  }
  throw new Error('listIssues did not terminate within 1000 pages');
}

/**
 * The behaviour every TrackerConnector must have. Capability-gated checks run only when the
 * connector declares the capability; others can be skipped with a documented reason. The deletion
 * checks (`deletions: ...`) run when it declares `reportsDeletions`, cannot be skipped, and fail
 * when the subject has no `removeIssue` hook.
 */
export function runConnectorConformance(options: ConnectorConformanceOptions): void {
  const skipped = options.skip ?? {};
  const check = (
    name: ConformanceCheck,
    title: string,
    body: (subject: ConnectorUnderTest, caps: TrackerCapabilities) => Promise<void>,
  ) => {
    const reason = skipped[name];
    if (reason !== undefined) {
      it.skip(`${title} (skipped: ${reason})`, () => {});
      return;
    }
    it(title, async () => {
      await body(subject, await subject.connector.getCapabilities());
    });
  };
  let subject: ConnectorUnderTest;

  describe(`Connector conformance: ${options.name}`, () => {
    beforeEach(async () => {
      subject = await options.factory();
    });
    afterEach(async () => {
      await subject.cleanup?.();
    });

    it('has a non-empty name and reports all 12 capability flags as booleans', async () => {
      expect(subject.connector.name.trim()).not.toBe('');
      const caps = await subject.connector.getCapabilities();
      for (const flag of CAPABILITY_FLAGS) expect(typeof caps[flag], flag).toBe('boolean');
    });

    check('createAndGet', 'creates an issue and reads it back by the returned ref', async ({ connector }) => {
      const created = await connector.createIssue(draft(connector, options.workspace, 1, { labels: [] }));
      expect(created.ref.system).toBe(connector.name);
      expect(created.title).toBe('Conformance issue 1');
      const loaded = await connector.getIssue(created.ref);
      expect(refIdentity(loaded.ref)).toBe(refIdentity(created.ref));
      expect(loaded.title).toBe(created.title);
      expect(loaded.body ?? '').toContain('Body 1');
      expect(loaded.status).toBe(CanonicalStatus.TODO);
    });

    check('missingIssue', 'throws IssueNotFoundError for a missing issue', async ({ connector }) => {
      const ref =
        options.missingRef ??
        createRef({ system: connector.name, workspace: options.workspace, id: '999999' });
      const error = await connector.getIssue(ref).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(IssueNotFoundError.isInstance(error), `expected IssueNotFoundError, got ${String(error)}`).toBe(
        true,
      );
    });

    check(
      'getIssues',
      'getIssues (when implemented) answers what getIssue does, leaving missing refs out',
      async ({ connector, failReads, removeIssue }) => {
        if (typeof connector.getIssues !== 'function') return;
        expect(await connector.getIssues([]), 'getIssues([])').toEqual([]);
        const created: CanonicalIssue[] = [];
        for (let seq = 1; seq <= 3; seq++)
          created.push(await connector.createIssue(draft(connector, options.workspace, seq)));
        const [first, second, third] = created.map((issue) => issue.ref) as [
          ExternalRef,
          ExternalRef,
          ExternalRef,
        ];
        const missing =
          options.missingRef ??
          createRef({ system: connector.name, workspace: options.workspace, id: '999999' });
        const read = await connector.getIssues([second, missing, first, second, third]);
        const byIdentity = new Map(read.map((issue) => [refIdentity(issue.ref), issue]));
        expect([...byIdentity.keys()].sort(), 'the existing refs, each once or more, and no other').toEqual(
          [first, second, third].map(refIdentity).sort(),
        );
        for (const ref of [first, second, third]) {
          expect(byIdentity.get(refIdentity(ref)), `getIssues vs getIssue of ${ref.id}`).toEqual(
            await connector.getIssue(ref),
          );
        }
        if (removeIssue !== undefined) {
          // Gone as someone else would remove it: left out exactly when getIssue finds nothing.
          await removeIssue(third);
          const single = await connector.getIssue(third).then(
            (issue) => [issue],
            (error: unknown) => {
              if (IssueNotFoundError.isInstance(error)) return [];
              throw error;
            },
          );
          expect(await connector.getIssues([third]), `getIssues after removing ${third.id}`).toEqual(single);
        }
        if (failReads === undefined) return;
        await failReads();
        await expect(
          connector.getIssues([first]),
          'a failed read throws, never answers "missing"',
        ).rejects.toThrow();
      },
    );

    check(
      'pagination',
      'pages through every issue exactly once, following nextCursor to the end',
      async ({ connector }) => {
        const created: CanonicalIssue[] = [];
        for (let seq = 1; seq <= 5; seq++)
          created.push(await connector.createIssue(draft(connector, options.workspace, seq)));
        const listed = await listAll(connector, options.pageSize ?? 2);
        const identities = listed.map((issue) => refIdentity(issue.ref));
        for (const issue of created) {
          expect(identities.filter((identity) => identity === refIdentity(issue.ref))).toHaveLength(1);
        }
      },
    );

    check('updatedSince', 'filters by updatedSince', async ({ connector }) => {
      const created = await connector.createIssue(draft(connector, options.workspace, 1));
      const future = new Date(Date.now() + 365 * 24 * 3600 * 1000);
      const later = await listAll(connector, 50, future);
      expect(later.map((issue) => refIdentity(issue.ref))).not.toContain(refIdentity(created.ref));
      const past = new Date(Date.now() - 365 * 24 * 3600 * 1000);
      const earlier = await listAll(connector, 50, past);
      expect(earlier.map((issue) => refIdentity(issue.ref))).toContain(refIdentity(created.ref));
    });

    check('updateFields', 'updates title and body and returns the new state', async ({ connector }) => {
      const created = await connector.createIssue(draft(connector, options.workspace, 1));
      const patch: IssuePatch = { title: 'Renamed by conformance', body: 'New body' };
      const updated = await connector.updateIssue(created.ref, patch);
      expect(updated.title).toBe('Renamed by conformance');
      const loaded = await connector.getIssue(created.ref);
      expect(loaded.title).toBe('Renamed by conformance');
      expect(loaded.body ?? '').toContain('New body');
    });

    check(
      'unknownPatchKey',
      'rejects unknown patch keys with PK-001 before writing',
      async ({ connector }) => {
        const created = await connector.createIssue(draft(connector, options.workspace, 1));
        const error = await connector
          .updateIssue(created.ref, {
            title: 'must not be written',
            severity: 'high',
          } as unknown as IssuePatch)
          .then(
            () => null,
            (caught: unknown) => caught,
          );
        expect(IssuePayloadContractError.isInstance(error), `expected PK-001, got ${String(error)}`).toBe(
          true,
        );
        expect((error as IssuePayloadContractError).reason).toBe('PK-001');
        expect((await connector.getIssue(created.ref)).title).toBe('Conformance issue 1');
      },
    );

    check(
      'transition',
      'transitions to in_progress, and to done when terminal transitions are supported',
      async ({ connector }, caps) => {
        const created = await connector.createIssue(draft(connector, options.workspace, 1));
        const moved = await connector.transitionIssue(created.ref, CanonicalStatus.IN_PROGRESS);
        expect([CanonicalStatus.IN_PROGRESS, CanonicalStatus.TODO]).toContain(moved.status);
        if (caps.supportsTerminalTransition) {
          const done = await connector.transitionIssue(created.ref, CanonicalStatus.DONE);
          expect(done.status).toBe(CanonicalStatus.DONE);
          expect((await connector.getIssue(created.ref)).status).toBe(CanonicalStatus.DONE);
        }
      },
    );

    check('labels', 'round-trips labels', async ({ connector }) => {
      const created = await connector.createIssue(
        draft(connector, options.workspace, 1, { labels: ['alpha', 'beta'] }),
      );
      expect([...(await connector.getIssue(created.ref)).labels].sort()).toEqual(['alpha', 'beta']);
      await connector.updateIssue(created.ref, { labels: ['gamma'] });
      expect((await connector.getIssue(created.ref)).labels).toEqual(['gamma']);
    });

    check('comments', 'adds comments when supportsComments', async ({ connector }, caps) => {
      const created = await connector.createIssue(draft(connector, options.workspace, 1));
      if (!caps.supportsComments) return;
      await expect(
        connector.addComment(created.ref, 'Conformance comment\nwith a second line'),
      ).resolves.toBeUndefined();
    });

    check('links', 'upserts links idempotently when supportsDependencies', async ({ connector }, caps) => {
      if (!caps.supportsDependencies) return;
      const first = await connector.createIssue(draft(connector, options.workspace, 1));
      const second = await connector.createIssue(draft(connector, options.workspace, 2));
      const link = createLink({ type: LinkType.BLOCKED_BY, target: second.ref });
      await connector.upsertLink(first.ref, link);
      await connector.upsertLink(first.ref, link);
      const loaded = await connector.getIssue(first.ref);
      const matching = loaded.links.filter(
        (item) => item.type === LinkType.BLOCKED_BY && refIdentity(item.target) === refIdentity(second.ref),
      );
      expect(matching.length, 'a link upserted twice must appear once').toBeLessThanOrEqual(1);
    });

    check('events', 'lists events with an honest shape', async ({ connector }) => {
      const page = await connector.listEvents({ cursor: null, limit: 10 });
      expect(Array.isArray(page.events)).toBe(true);
      for (const event of page.events) {
        expect(event.timestamp).toBeInstanceOf(Date);
        expect(refIdentity(event.issueRef)).toContain(`${connector.name}:`);
      }
    });

    check(
      'findCreatedIssue',
      'finds an issue it created from the idempotency key (crash-safe creates)',
      async ({ connector }) => {
        if (connector.findCreatedIssue === undefined) return;
        const issue = draft(connector, options.workspace, 42);
        const idempotencyKey = `sync:${refIdentity(issue.ref)}`;
        expect(await connector.findCreatedIssue(issue, { idempotencyKey })).toBeNull();
        const created = await connector.createIssue(issue, { idempotencyKey });
        const found = await connector.findCreatedIssue(issue, { idempotencyKey });
        expect(found && refIdentity(found.ref)).toBe(refIdentity(created.ref));
      },
    );

    check(
      'projectIssue',
      'projects issues idempotently, and as they read back after a create (lossy mappings)',
      async ({ connector }) => {
        const project = connector.projectIssue?.bind(connector);
        if (project === undefined) return;
        const drafts = [
          draft(connector, options.workspace, 61, {
            status: CanonicalStatus.IN_PROGRESS,
            issueType: CanonicalIssueType.CHORE,
            priority: 0,
          }),
          draft(connector, options.workspace, 62, {
            // A story: processes that have a review state have it for stories (Azure Agile: Resolved).
            status: CanonicalStatus.IN_REVIEW,
            issueType: CanonicalIssueType.STORY,
            priority: null,
          }),
          draft(connector, options.workspace, 63, { issueType: CanonicalIssueType.SUBTASK, priority: 4 }),
        ];
        for (const issue of drafts) {
          const once = project(issue);
          expect(project(once), 'projectIssue must be idempotent').toEqual(once);
          let created: CanonicalIssue;
          try {
            created = await connector.createIssue(issue);
          } catch (error) {
            // A status the tracker's workflow cannot take is refused, not projected.
            if (CapabilityNotSupportedError.isInstance(error)) continue;
            throw error;
          }
          const read = project(await connector.getIssue(created.ref));
          for (const field of CORE_ISSUE_FIELDS) {
            expect(syncFieldEqual(field, once, read), `projectIssue(${issue.status}).${field}`).toBe(true);
          }
        }
      },
    );

    check('secrets', 'never exposes configured secrets in errors or raw payloads', async ({ connector }) => {
      const secrets = options.secrets ?? [];
      if (secrets.length === 0) return;
      const created = await connector.createIssue(draft(connector, options.workspace, 1));
      const ref =
        options.missingRef ??
        createRef({ system: connector.name, workspace: options.workspace, id: '999999' });
      const error = await connector.getIssue(ref).then(
        () => null,
        (caught: unknown) => caught,
      );
      const surfaces = [
        String(error),
        JSON.stringify(error ?? {}),
        JSON.stringify((await connector.getIssue(created.ref)).raw ?? {}),
      ];
      for (const secret of secrets) for (const surface of surfaces) expect(surface).not.toContain(secret);
    });

    defineTombstoneChecks(() => subject, options.workspace);
  });
}
