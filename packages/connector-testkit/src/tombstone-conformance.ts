// Deletion-tracking checks (issue 18), run by `runConnectorConformance` when the connector declares
// `capabilities.reportsDeletions`.
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
  type TrackerCapabilities,
  type TrackerConnector,
} from '@spec-kitty/core';
import { expect, it } from 'vitest';
import { MissingTombstoneHookError } from './missing-tombstone-hook-error';

/**
 * Out-of-band hooks into the fake behind a connector under test, used by the deletion checks.
 * A connector that declares `capabilities.reportsDeletions` must have its subject supply
 * `removeIssue`, or the conformance suite fails.
 */
export interface TombstoneHooks {
  /**
   * Takes `ref`'s issue out of the tracker as someone else would (the fake's delete / archive /
   * move helper, or an edit of a CLI fake's state) and returns the reason the connector must
   * report for it (`undefined` means `deleted`).
   */
  removeIssue?(ref: ExternalRef): Promise<TombstoneReason | undefined> | TombstoneReason | undefined;
  /**
   * Makes every following tracker read fail (a 5xx, a crash, a timeout), so the suite can check
   * that `checkGone` throws rather than report live issues as deleted. Without it that check is skipped.
   */
  failReads?(): Promise<void> | void;
}

/**
 * The `removeIssue` hook of a subject whose connector declares `reportsDeletions` (with a
 * `checkGone`); throws `MissingTombstoneHookError` saying what to add when either is missing.
 * Returns `null` when the connector does not declare `reportsDeletions`.
 */
export function requireTombstoneHooks(
  connector: TrackerConnector,
  caps: TrackerCapabilities,
  hooks: TombstoneHooks,
): {
  removeIssue: NonNullable<TombstoneHooks['removeIssue']>;
  checkGone: NonNullable<TrackerConnector['checkGone']>;
} | null {
  if (caps.reportsDeletions !== true) return null;
  if (typeof connector.checkGone !== 'function') {
    throw new MissingTombstoneHookError(
      `${connector.name} declares capabilities.reportsDeletions but has no checkGone(refs) method: implement it or stop declaring the capability`,
    );
  }
  if (hooks.removeIssue === undefined) {
    throw new MissingTombstoneHookError(
      `${connector.name} declares capabilities.reportsDeletions but the conformance factory returned no removeIssue(ref) hook: return one that deletes (or archives / moves) the issue on the fake, so the deletion checks can run`,
    );
  }
  return { removeIssue: hooks.removeIssue.bind(hooks), checkGone: connector.checkGone.bind(connector) };
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
  expect(Object.isFrozen(tombstone), 'a tombstone must be frozen').toBe(true);
  expect(isTombstoneReason(tombstone.reason), `unknown reason ${String(tombstone.reason)}`).toBe(true);
  expect(Number.isNaN(Date.parse(tombstone.observedAt)), 'observedAt must be an ISO date').toBe(false);
  if (tombstone.reason !== 'moved') expect(tombstone.movedTo).toBeNull();
}

/**
 * Registers the deletion checks in the current `describe`: gone refs reported once with the
 * expected reason, live refs omitted, listings never report an issue both as an item and a
 * tombstone, a failing tracker throws. Each check is skipped when the connector does not declare
 * `reportsDeletions`, and fails when it does but `removeIssue` (or `checkGone`) is missing.
 */
export function defineTombstoneChecks(
  subject: () => TombstoneHooks & { connector: TrackerConnector },
  workspace: string,
): void {
  type Ready = NonNullable<ReturnType<typeof requireTombstoneHooks>>;
  const check = (title: string, body: (connector: TrackerConnector, ready: Ready) => Promise<void>) => {
    it(`deletions: ${title}`, async (context) => {
      const current = subject();
      const ready = requireTombstoneHooks(
        current.connector,
        await current.connector.getCapabilities(),
        current,
      );
      if (ready === null) {
        context.skip();
        return;
      }
      await body(current.connector, ready);
    });
  };

  check('checkGone of no refs is empty', async (_connector, { checkGone }) => {
    expect(await checkGone([])).toEqual([]);
  });

  check(
    'checkGone reports a gone issue once with its reason and omits live ones',
    async (connector, { checkGone, removeIssue }) => {
      const live = await connector.createIssue(draft(connector, workspace, 1));
      const gone = await connector.createIssue(draft(connector, workspace, 2));
      const reason = (await removeIssue(gone.ref)) ?? 'deleted';
      const tombstones = await checkGone([live.ref, gone.ref]);
      expect(tombstones.map((tombstone) => refIdentity(tombstone.ref))).toEqual([refIdentity(gone.ref)]);
      expect(tombstones[0]?.reason).toBe(reason);
      for (const tombstone of tombstones) expectValidTombstone(tombstone);
      expect(await checkGone([live.ref])).toEqual([]);
    },
  );

  check(
    'a listing never reports an issue both as an item and as a tombstone',
    async (connector, { removeIssue }) => {
      await connector.createIssue(draft(connector, workspace, 1));
      const gone = await connector.createIssue(draft(connector, workspace, 2));
      await removeIssue(gone.ref);
      // An incremental listing (the kind that carries tombstones), from a day before the removal.
      const updatedSince = new Date(Date.now() - 24 * 3600 * 1000);
      const page = await connector.listIssues({ updatedSince, cursor: null, limit: 50 });
      const items = new Set(page.items.map((item) => refIdentity(item.ref)));
      for (const tombstone of page.tombstones ?? []) {
        expectValidTombstone(tombstone);
        expect(items.has(refIdentity(tombstone.ref))).toBe(false);
      }
      expect(items.has(refIdentity(gone.ref)), 'a removed issue must not be listed as an item').toBe(false);
    },
  );

  it('deletions: checkGone throws when the tracker fails instead of reporting deletions', async (context) => {
    const current = subject();
    const ready = requireTombstoneHooks(
      current.connector,
      await current.connector.getCapabilities(),
      current,
    );
    if (ready === null || current.failReads === undefined) {
      context.skip();
      return;
    }
    const live = await current.connector.createIssue(draft(current.connector, workspace, 1));
    await current.failReads();
    await expect(ready.checkGone([live.ref])).rejects.toThrow();
  });
}
