import { CapabilityNotSupportedError, isStatusTransitionRefusal } from '../errors/errors';
import { LinkType } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import { createLink } from '../model/link';
import type { IssuePatch, TrackerConnector } from '../protocol/connector';
import { defaultSleep, withRetry } from '../sync/sync-retry';
import type { JsonValue } from '../util/json-value';
import { assertNoForbiddenLegacyKeys } from './legacy-keys';
import { MISSION_CUSTOM_FIELD, missionPayload, renderMissionComment } from './mission-payload';
import { type MissionSeed, missionSeedFromIssue } from './mission-seed';
import type { MissionUpdate } from './mission-update';

/** Options of `BidirectionalIssueSync`. */
export interface BidirectionalIssueSyncOptions {
  /** The tracker connector. */
  connector: TrackerConnector;
  /** Attempts for retryable failures (default 2). */
  maxRetryAttempts?: number;
  /** Backoff sleep (tests inject a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source (tests inject a fixed one). */
  random?: () => number;
  /** Clock for `tracker_sync_pushed_at`; injectable for tests. */
  now?: () => Date;
}

/** The mission bridge: seeds missions from tracker issues and publishes mission progress back. */
export class BidirectionalIssueSync {
  /** The tracker connector. */
  readonly connector: TrackerConnector;
  /** Attempts for retryable failures. */
  readonly maxRetryAttempts: number;
  readonly #options: BidirectionalIssueSyncOptions;

  constructor(options: BidirectionalIssueSyncOptions) {
    this.connector = options.connector;
    this.maxRetryAttempts = options.maxRetryAttempts ?? 2;
    this.#options = options;
  }

  /** Reads the issue and builds the mission seed from it. */
  async missionFromIssue(
    issueRef: ExternalRef,
    options?: { missionId?: string | null },
  ): Promise<MissionSeed> {
    return missionSeedFromIssue(await this.connector.getIssue(issueRef), options);
  }

  /**
   * Writes `customFields.spec_kitty_mission` (and the target status) in one update, upserts a
   * BLOCKED_BY link per blocking decision with an external ref, and adds the backlink comment when
   * the tracker supports comments. A status refusal is deferred: links and comment are still
   * written, then the refusal is thrown.
   */
  async publishMissionUpdate(input: {
    issueRef: ExternalRef;
    update: MissionUpdate;
  }): Promise<CanonicalIssue> {
    const { issueRef, update } = input;
    const issue = await this.connector.getIssue(issueRef);
    const patch: IssuePatch = {};
    if (update.targetStatus !== null) patch.status = update.targetStatus;
    const customFields: Record<string, JsonValue> = {
      ...issue.customFields,
      [MISSION_CUSTOM_FIELD]: missionPayload(update, (this.#options.now ?? (() => new Date()))()),
    };
    // Checked on the whole custom fields, pre-existing keys included, before any write.
    assertNoForbiddenLegacyKeys(customFields);
    patch.customFields = customFields;
    const idempotencyKey = `mission-update:${update.missionId}:${refIdentity(issueRef)}`;
    let result: CanonicalIssue;
    let refusal: CapabilityNotSupportedError | null = null;
    try {
      result = await withRetry(
        (signal) => this.connector.updateIssue(issueRef, patch, { idempotencyKey, signal }),
        {
          maxRetryAttempts: this.maxRetryAttempts,
          sleep: this.#options.sleep ?? defaultSleep,
          random: this.#options.random ?? Math.random,
        },
      );
    } catch (error) {
      if (!CapabilityNotSupportedError.isInstance(error) || !isStatusTransitionRefusal(error)) throw error;
      refusal = error;
      result = issue;
    }
    for (const reference of update.decisionReferences) {
      if (reference.blocking && reference.externalRef !== null) {
        await this.connector.upsertLink(
          issueRef,
          createLink({ type: LinkType.BLOCKED_BY, target: reference.externalRef }),
        );
      }
    }
    const caps = await this.connector.getCapabilities();
    if (caps.supportsComments) await this.connector.addComment(issueRef, renderMissionComment(update));
    if (refusal !== null) throw refusal;
    return result;
  }
}
