// Deletion-tracking checks (issue 18): ready to be wired into the connector suite, gated on
// `capabilities.reportsDeletions`. Not exported from the package index yet.
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  type ExternalRef,
  type IssueTombstone,
  isTombstoneReason,
  refIdentity,
  type TombstoneReason,
  type TrackerConnector,
} from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A connector over an empty tracker, with out-of-band hooks into its fake. */
export interface TombstoneSubject {
  connector: TrackerConnector;
  /**
   * Takes `ref`'s issue out of the tracker as someone else would (the fake's delete / archive /
   * move helper) and returns the reason the connector must report (default `deleted`).
   */
  removeIssue(ref: ExternalRef): Promise<TombstoneReason | undefined> | TombstoneReason | undefined;
  /** Makes every following tracker read fail (a 503, a crash, a timeout): `checkGone` must throw. */
  failReads?(): Promise<void> | void;
  /** Stops fakes, removes temp folders. */
  cleanup?: () => Promise<void> | void;
}

export interface TombstoneConformanceOptions {
  /** Suite title, e.g. 'GitHubConnector against the GitHub fake'. */
  name: string;
  /** A fresh subject per test. */
  factory: () => Promise<TombstoneSubject> | TombstoneSubject;
  /** `ExternalRef.workspace` of drafts (any value the connector accepts for a create). */
  workspace: string;
}

function draft(connector: TrackerConnector, workspace: string, seq: number): CanonicalIssue {
  return createIssue({
    ref: createRef({ system: connector.name, workspace, id: `tombstone-${seq}` }),
    title: `Tombstone conformance ${seq}`,
    body: null,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
  });
}

function expectValidTombstone(tombstone: IssueTombstone): void {
  expect(Object.isFrozen(tombstone)).toBe(true);
  expect(isTombstoneReason(tombstone.reason)).toBe(true);
  expect(Number.isNaN(Date.parse(tombstone.observedAt))).toBe(false);
  if (tombstone.reason !== 'moved') expect(tombstone.movedTo).toBeNull();
}

/**
 * `checkGone` and listing tombstones: gone refs reported once with the expected reason, live refs
 * omitted, a failing tracker throws instead of reporting deletions. Skipped (one skipped test)
 * when the connector does not declare `reportsDeletions`.
 */
export function runTombstoneConformance(options: TombstoneConformanceOptions): void {
  let subject: TombstoneSubject;

  describe(`Tombstone conformance: ${options.name}`, () => {
    beforeEach(async () => {
      subject = await options.factory();
    });
    afterEach(async () => {
      await subject.cleanup?.();
    });

    const check = (title: string, body: (connector: TrackerConnector) => Promise<void>) => {
      it(title, async (context) => {
        const { connector } = subject;
        const caps = await connector.getCapabilities();
        if (caps.reportsDeletions !== true || connector.checkGone === undefined) {
          context.skip();
          return;
        }
        await body(connector);
      });
    };

    check('checkGone of no refs is empty', async (connector) => {
      expect(await connector.checkGone?.([])).toEqual([]);
    });

    check('checkGone reports a gone issue once with its reason and omits live ones', async (connector) => {
      const live = await connector.createIssue(draft(connector, options.workspace, 1));
      const gone = await connector.createIssue(draft(connector, options.workspace, 2));
      const reason = (await subject.removeIssue(gone.ref)) ?? 'deleted';
      const tombstones = (await connector.checkGone?.([live.ref, gone.ref])) ?? [];
      expect(tombstones.map((tombstone) => refIdentity(tombstone.ref))).toEqual([refIdentity(gone.ref)]);
      expect(tombstones[0]?.reason).toBe(reason);
      for (const tombstone of tombstones) expectValidTombstone(tombstone);
      expect(await connector.checkGone?.([live.ref])).toEqual([]);
    });

    check('a listing never reports an issue both as an item and as a tombstone', async (connector) => {
      await connector.createIssue(draft(connector, options.workspace, 1));
      const gone = await connector.createIssue(draft(connector, options.workspace, 2));
      await subject.removeIssue(gone.ref);
      const page = await connector.listIssues({ updatedSince: new Date(0), cursor: null, limit: 50 });
      const items = new Set(page.items.map((item) => refIdentity(item.ref)));
      for (const tombstone of page.tombstones ?? []) {
        expectValidTombstone(tombstone);
        expect(items.has(refIdentity(tombstone.ref))).toBe(false);
      }
      expect(items.has(refIdentity(gone.ref))).toBe(false);
    });

    check('checkGone throws when the tracker fails instead of reporting deletions', async (connector) => {
      if (subject.failReads === undefined) return;
      const live = await connector.createIssue(draft(connector, options.workspace, 1));
      await subject.failReads();
      await expect(connector.checkGone?.([live.ref])).rejects.toThrow();
    });
  });
}
