/** What a connector can do; the original's 12 flags in camelCase, same order, same defaults. */
export interface TrackerCapabilities {
  readonly supportsWebhooks: boolean;
  readonly supportsComments: boolean;
  readonly supportsHierarchy: boolean;
  readonly supportsDependencies: boolean;
  readonly supportsCustomFields: boolean;
  readonly supportsMultiAssignee: boolean;
  readonly supportsSprintsOrCycles: boolean;
  readonly supportsBulkRead: boolean;
  readonly supportsBulkWrite: boolean;
  readonly supportsDelete: boolean;
  /** The connector can carry `assignees` writes. */
  readonly supportsAssignment: boolean;
  /** The connector can set status to `done` / `canceled`. */
  readonly supportsTerminalTransition: boolean;
}

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

export const CAPABILITY_FLAGS = Object.freeze(
  Object.keys(DEFAULT_CAPABILITIES),
) as readonly (keyof TrackerCapabilities)[];

/** Fills defaults; rejects unknown flag names so a typo cannot silently read as false. */
export function capabilities(partial: Partial<TrackerCapabilities> = {}): TrackerCapabilities {
  for (const key of Object.keys(partial)) {
    if (!(CAPABILITY_FLAGS as readonly string[]).includes(key)) {
      throw new TypeError(`Unknown capability flag: ${key}. Known flags: ${CAPABILITY_FLAGS.join(', ')}`);
    }
  }
  return Object.freeze({ ...DEFAULT_CAPABILITIES, ...partial });
}

/** All 12 flags keyed by name, in declaration order (the original's `as_dict`). */
export function capabilitiesAsRecord(caps: TrackerCapabilities): Record<keyof TrackerCapabilities, boolean> {
  const record = {} as Record<keyof TrackerCapabilities, boolean>;
  for (const flag of CAPABILITY_FLAGS) record[flag] = caps[flag];
  return record;
}
