/** What a connector can do; the original's 12 flags in camelCase, same order, same defaults. */
export interface TrackerCapabilities {
  /** The tracker can push change notifications. */
  readonly supportsWebhooks: boolean;
  /** Comments can be added. */
  readonly supportsComments: boolean;
  /** Parent/child links are kept. */
  readonly supportsHierarchy: boolean;
  /** Blocks/blocked-by links are kept. */
  readonly supportsDependencies: boolean;
  /** Custom fields are read and written. */
  readonly supportsCustomFields: boolean;
  /** An issue holds more than one assignee. */
  readonly supportsMultiAssignee: boolean;
  /** The tracker has sprints or cycles. */
  readonly supportsSprintsOrCycles: boolean;
  /** Several issues can be read in one request. */
  readonly supportsBulkRead: boolean;
  /** Several issues can be written in one request. */
  readonly supportsBulkWrite: boolean;
  /** Issues can be deleted. */
  readonly supportsDelete: boolean;
  /** The connector can carry `assignees` writes. */
  readonly supportsAssignment: boolean;
  /** The connector can set status to `done` / `canceled`. */
  readonly supportsTerminalTransition: boolean;
  /**
   * Largest page `listIssues` serves in one call (the vendor's maximum page size). Not a flag:
   * optional, absent from `CAPABILITY_FLAGS`. A `SyncEngine` run with no `limit` uses it as its
   * page size, so a listing takes as few calls as the vendor allows; absent, the engine's default.
   */
  readonly maxPageSize?: number;
  /**
   * The connector reports gone issues: tombstones on listing pages where the vendor lists them,
   * and `checkGone` for known refs. Not a flag: optional, absent from `CAPABILITY_FLAGS`.
   */
  readonly reportsDeletions?: boolean;
}

/** The 12 boolean flags (every capability but `maxPageSize` and `reportsDeletions`). */
export type CapabilityFlag = Exclude<keyof TrackerCapabilities, 'maxPageSize' | 'reportsDeletions'>;

/** The original's defaults of every capability flag. */
export const DEFAULT_CAPABILITIES: TrackerCapabilities = Object.freeze({
  supportsWebhooks: false,
  supportsComments: true,
  supportsHierarchy: true,
  supportsDependencies: true,
  supportsCustomFields: true,
  supportsMultiAssignee: true,
  supportsSprintsOrCycles: false,
  supportsBulkRead: false,
  supportsBulkWrite: false,
  supportsDelete: false,
  supportsAssignment: false,
  supportsTerminalTransition: false,
});

/** The 12 boolean flag names, in the original's order. */
export const CAPABILITY_FLAGS = Object.freeze(Object.keys(DEFAULT_CAPABILITIES)) as readonly CapabilityFlag[];

/** Fills defaults; rejects unknown flag names so a typo cannot silently read as false. */
export function capabilities(partial: Partial<TrackerCapabilities> = {}): TrackerCapabilities {
  for (const key of Object.keys(partial)) {
    if (
      key !== 'maxPageSize' &&
      key !== 'reportsDeletions' &&
      !(CAPABILITY_FLAGS as readonly string[]).includes(key)
    ) {
      throw new TypeError(`Unknown capability flag: ${key}. Known flags: ${CAPABILITY_FLAGS.join(', ')}`);
    }
  }
  const { maxPageSize } = partial;
  if (maxPageSize !== undefined && (!Number.isInteger(maxPageSize) || maxPageSize < 1)) {
    throw new TypeError(`maxPageSize must be a positive integer, got ${String(maxPageSize)}`);
  }
  if (partial.reportsDeletions !== undefined && typeof partial.reportsDeletions !== 'boolean') {
    throw new TypeError(`reportsDeletions must be a boolean, got ${typeof partial.reportsDeletions}`);
  }
  return Object.freeze({ ...DEFAULT_CAPABILITIES, ...partial });
}

/** All 12 flags keyed by name, in declaration order (the original's `as_dict`). */
export function capabilitiesAsRecord(caps: TrackerCapabilities): Record<CapabilityFlag, boolean> {
  const record = {} as Record<CapabilityFlag, boolean>;
  for (const flag of CAPABILITY_FLAGS) record[flag] = caps[flag];
  return record;
}
