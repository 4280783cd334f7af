import {
  type CanonicalIssue,
  type CanonicalLink,
  CanonicalStatus,
  CapabilityNotSupportedError,
  type CommandRunner,
  ConnectorRequestError,
  type ConnectorRuntime,
  capabilities,
  createRef,
  createTombstone,
  type EventsPage,
  type ExternalRef,
  IssueNotFoundError,
  type IssuePatch,
  type IssueTombstone,
  type ListIssuesQuery,
  type Page,
  rejectUnknownPatchKeys,
  type TrackerCapabilities,
  type TrackerConnector,
  type WriteOptions,
} from '@spec-kitty/core';
import { LocalCliInvoker } from '@spec-kitty/core/process';
import {
  commentArgv,
  configListArgv,
  createArgv,
  depAddArgv,
  fullListArgv,
  listArgv,
  markedListArgv,
  showArgv,
  showManyArgv,
  updateArgv,
  updateFlags,
} from './beads-argv';
import {
  type BeadsConnectorConfig,
  type BeadsConnectorConfigInput,
  resolveBeadsConfig,
} from './beads-config';
import { beadsTombstones, CHECK_GONE_BATCH, isBeadsTombstone, shownIssue } from './beads-gone';
import {
  BEADS_SYSTEM,
  beadsToCanonical,
  createMarker,
  isRecord,
  issueRecords,
  parseBeadsJson,
  projectBeadsIssue,
} from './beads-mapping';
import {
  findTrackerSyncConflicts,
  isBdTrackerSyncTarget,
  type TrackerSyncConflict,
  trackerSyncConflictError,
} from './beads-tracker-sync-guard';

/** Runtime inputs of a `BeadsConnector` that are not config. */
export interface BeadsConnectorOptions extends ConnectorRuntime {
  /**
   * Runs bd. Required when `config.context` is set (a scoped context must go through an explicit,
   * e.g. gateway-backed, runner); otherwise defaults to a `SubprocessCommandRunner`.
   */
  runner?: CommandRunner;
}

const BEADS_CAPABILITIES: TrackerCapabilities = capabilities({
  supportsWebhooks: false,
  supportsComments: true,
  supportsHierarchy: true,
  supportsDependencies: true,
  supportsCustomFields: true,
  supportsMultiAssignee: false,
  supportsSprintsOrCycles: false,
  supportsBulkRead: true,
  supportsBulkWrite: true,
  supportsDelete: false,
  supportsAssignment: false,
  supportsTerminalTransition: false,
  reportsDeletions: true,
});

const CURSOR_PATTERN = /^\d+$/;

/** How many paginations in progress keep a list snapshot. */
const MAX_LIST_SNAPSHOTS = 8;

/**
 * Drives Beads' `bd` CLI (steveyegge/beads) with the original's argv and strict, fail-closed
 * parsing (BD-000…BD-005, PK-001, host-owned assignment and terminal transitions).
 */
export class BeadsConnector implements TrackerConnector {
  readonly name = BEADS_SYSTEM;
  readonly config: BeadsConnectorConfig;
  readonly #cli: LocalCliInvoker;
  /** False once bd answered that `list` has no `--external-ref` flag (an older bd). */
  #listByExternalRef = true;
  /** Full `bd list` results kept for the cursor handed out last, per list query. */
  readonly #listSnapshots = new Map<string, { cursor: string; records: Record<string, unknown>[] }>();

  constructor(config: BeadsConnectorConfigInput = {}, options: BeadsConnectorOptions = {}) {
    this.config = resolveBeadsConfig(config);
    this.#cli = new LocalCliInvoker({
      configName: 'BeadsConnectorConfig',
      provider: BEADS_SYSTEM,
      cwd: this.config.cwd,
      context: this.config.context,
      timeoutMs: this.config.timeoutMs,
      runner: options.runner,
      notFound: /no issues? found matching|issue \S+ not found/i,
      notFoundMessage: (id) => `Beads issue not found: ${id}`,
    });
  }

  #ref(id: string): ExternalRef {
    return createRef({ system: BEADS_SYSTEM, workspace: this.config.workspace, id });
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return BEADS_CAPABILITIES;
  }

  /**
   * `bd --json list …` (see `listArgv`). **Better than the original**: complete lists with offset
   * cursors (the original ignored cursors and returned only the first `limit` open issues), closed
   * issues included, and `updatedSince` applied exactly on top of bd's date-only filter.
   *
   * A first page runs `bd list --limit 0` once and keeps the result, so following `nextCursor`
   * through the whole list costs one bd process, not one per page. A cursor without that snapshot
   * (another connector instance, an old cursor) re-runs bd with `--limit <offset + limit + 1>`.
   */
  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const offset = parseCursor(query.cursor);
    const limit = Math.max(0, Math.trunc(query.limit));
    if (limit === 0) return { items: [], nextCursor: null };
    const input = { updatedSince: query.updatedSince, filters: query.filters ?? {} };
    const key = listArgv(this.config.command, { ...input, fetch: 0 }).join('\u0000');
    const snapshot = this.#listSnapshots.get(key);
    let records: Record<string, unknown>[];
    if (offset === 0 || snapshot?.cursor !== query.cursor) {
      const fetch = offset === 0 ? 0 : offset + limit + 1;
      const stdout = await this.#cli.run(listArgv(this.config.command, { ...input, fetch }), query.signal);
      records = issueRecords(parseBeadsJson(stdout));
    } else {
      records = snapshot.records;
    }
    const nextCursor = records.length > offset + limit ? String(offset + limit) : null;
    this.#listSnapshots.delete(key);
    if (nextCursor !== null) {
      if (this.#listSnapshots.size >= MAX_LIST_SNAPSHOTS) {
        const oldest = this.#listSnapshots.keys().next().value;
        if (oldest !== undefined) this.#listSnapshots.delete(oldest);
      }
      this.#listSnapshots.set(key, { cursor: nextCursor, records });
    }
    const since = query.updatedSince;
    const page = records.slice(offset, offset + limit);
    // Older bd keeps deleted issues as `tombstone` records: they are tombstones, not items.
    const observedAt = new Date().toISOString();
    const tombstones = page
      .filter(isBeadsTombstone)
      .map((record) => createTombstone({ ref: this.#ref(String(record.id)), reason: 'deleted', observedAt }));
    const items = page
      .filter((record) => !isBeadsTombstone(record))
      .map((record) => beadsToCanonical(record, this.config.workspace))
      .filter((issue) => since === null || issue.updatedAt === null || issue.updatedAt >= since);
    return tombstones.length > 0 ? { items, nextCursor, tombstones } : { items, nextCursor };
  }

  async getIssue(ref: ExternalRef, options: { signal?: AbortSignal } = {}): Promise<CanonicalIssue> {
    const stdout = await this.#cli.runFor(ref.id, showArgv(this.config.command, ref.id), options.signal);
    const payload = parseBeadsJson(stdout);
    const candidate = Array.isArray(payload) ? payload[0] : payload;
    if (!isRecord(candidate)) throw new IssueNotFoundError(`Beads issue not found: ${ref.id}`);
    const issue = isRecord(candidate.issue)
      ? beadsToCanonical(candidate.issue, this.config.workspace, candidate)
      : beadsToCanonical(candidate, this.config.workspace);
    // bd resolves partial ids: if the requested issue is gone, `show` may return a different one.
    if (issue.ref.id !== ref.id && issue.ref.id.toLowerCase() !== ref.id.toLowerCase()) {
      throw new IssueNotFoundError(
        `Beads issue not found: ${ref.id} (bd resolved it to a different issue, ${issue.ref.id})`,
      );
    }
    return issue;
  }

  /**
   * Tombstones of the refs bd no longer shows: `bd --json show <id>...` (50 ids per process)
   * prints the issues it finds and skips deleted ones (with none found it exits 1 with "no issues
   * found matching", which means all are deleted); a shown `tombstone` record
   * (older bd) is deleted too. Any other failure (no database, timeout, crash) throws.
   */
  async checkGone(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<IssueTombstone[]> {
    const observedAt = new Date().toISOString();
    const tombstones: IssueTombstone[] = [];
    for (let start = 0; start < refs.length; start += CHECK_GONE_BATCH) {
      const batch = refs.slice(start, start + CHECK_GONE_BATCH);
      let shown: Record<string, unknown>[] = [];
      try {
        const stdout = await this.#cli.run(
          showManyArgv(
            this.config.command,
            batch.map((ref) => ref.id),
          ),
          options.signal,
        );
        const payload = parseBeadsJson(stdout);
        shown = (Array.isArray(payload) ? payload : [payload])
          .map(shownIssue)
          .filter((record) => record !== null);
      } catch (error) {
        if (!this.#cli.isNotFound(error)) throw error;
      }
      tombstones.push(...beadsTombstones(batch, shown, observedAt));
    }
    return tombstones;
  }

  /**
   * `bd --json create …`, then a transition when the status is not todo, then a
   * re-read. **Better than the original**: a done/canceled status is refused *before* the issue is
   * created (the original created it and then threw). With `options.idempotencyKey` the create
   * carries a marker in `external_ref` that `findCreatedIssue` finds again.
   */
  async createIssue(issue: CanonicalIssue, options: WriteOptions = {}): Promise<CanonicalIssue> {
    if (issue.status === CanonicalStatus.DONE || issue.status === CanonicalStatus.CANCELED) {
      throw terminalDenial();
    }
    const payload = parseBeadsJson(
      await this.#cli.run(
        createArgv(
          this.config.command,
          issue,
          options.idempotencyKey ? createMarker(options.idempotencyKey) : null,
        ),
        options.signal,
      ),
    );
    const id = createdId(payload);
    const ref = this.#ref(id);
    // bd creates every issue open: any other status needs a transition. (The original skipped
    // in_progress too, so a new in_progress issue silently read back as todo.)
    if (needsTransitionAfterCreate(issue.status)) await this.transitionIssue(ref, issue.status);
    return this.getIssue(ref);
  }

  /**
   * The issue a create with `options.idempotencyKey` already made, or null, so a crash between
   * bd's create and the caller recording it never yields a duplicate: one
   * `bd list --external-ref <marker> --all` process, closed issues included. A bd without that
   * flag (older than the `list --external-ref` filter) gets a full `bd list` filtered here
   * instead, and this instance remembers not to try the flag again. A create interrupted before
   * its status transition (the issue is still `open` but `issue` wants another status) is finished.
   */
  async findCreatedIssue(issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null> {
    const key = options.idempotencyKey;
    if (!key) return null;
    const marker = createMarker(key);
    let stdout: string | null = null;
    if (this.#listByExternalRef) {
      try {
        stdout = await this.#cli.run(markedListArgv(this.config.command, marker), options.signal);
      } catch (error) {
        if (!isUnknownExternalRefFlag(error)) throw error;
        this.#listByExternalRef = false;
      }
    }
    stdout ??= await this.#cli.run(fullListArgv(this.config.command), options.signal);
    const match = issueRecords(parseBeadsJson(stdout)).find((record) => record.external_ref === marker);
    if (match === undefined) return null;
    const found = beadsToCanonical(match, this.config.workspace);
    // Interrupted between `bd create` and the status transition: finish the create, so the
    // issue's status is not silently left at bd's initial `open`.
    if (match.status === 'open' && needsTransitionAfterCreate(issue.status)) {
      return this.updateIssue(found.ref, { status: issue.status }, { signal: options.signal });
    }
    return this.getIssue(found.ref, { signal: options.signal });
  }

  async updateIssue(
    ref: ExternalRef,
    patch: IssuePatch,
    options: WriteOptions = {},
  ): Promise<CanonicalIssue> {
    const record = patch as Readonly<Record<string, unknown>>;
    rejectUnknownPatchKeys(record, BEADS_SYSTEM);
    if ('assignees' in record) throw new CapabilityNotSupportedError('beads: assignment is host-owned');
    if ('customFields' in record) throw new CapabilityNotSupportedError('beads: custom_fields is read-only');
    if ('links' in record) throw new CapabilityNotSupportedError('beads: links is read-only');
    const flags = updateFlags(record);
    if (flags.length > 0)
      await this.#cli.runFor(ref.id, updateArgv(this.config.command, ref.id, flags), options.signal);
    return this.getIssue(ref, { signal: options.signal });
  }

  /** How `issue` reads back from bd (in_review -> in_progress, subtask -> task, ...): see `projectBeadsIssue`. */
  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectBeadsIssue(issue);
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.updateIssue(ref, { status: target });
  }

  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    await this.#cli.run(depAddArgv(this.config.command, ref, link.type, link.target));
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    await this.#cli.runFor(ref.id, commentArgv(this.config.command, ref.id, body));
  }

  async listEvents(): Promise<EventsPage> {
    return { events: [], checkpoint: null };
  }

  /**
   * Reads `bd --json config list` and reports every tracker this Beads workspace is configured to
   * sync with through bd's own engine (`bd linear|jira|github|gitlab|ado sync`).
   */
  async detectTrackerSyncConflicts(options: { signal?: AbortSignal } = {}): Promise<TrackerSyncConflict[]> {
    const stdout = await this.#cli.run(configListArgv(this.config.command), options.signal);
    return findTrackerSyncConflicts(parseBeadsJson(stdout));
  }

  /**
   * Call before syncing this Beads workspace with the tracker `target` (a connector id such as
   * 'linear' or 'azure_devops'): throws `ConnectorConfigError` naming the bd config keys when bd's
   * own sync is configured for the same tracker. Targets bd cannot sync with are always fine.
   */
  async assertNoTrackerSyncConflict(target: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (!isBdTrackerSyncTarget(target)) return;
    const conflict = (await this.detectTrackerSyncConflicts(options)).find((item) => item.tracker === target);
    if (conflict !== undefined) {
      throw trackerSyncConflictError(conflict, { workspace: this.config.workspace, cwd: this.config.cwd });
    }
  }
}

function terminalDenial(): CapabilityNotSupportedError {
  return new CapabilityNotSupportedError('beads: terminal transition is host-owned', {
    capability: 'status',
  });
}

/** bd creates every issue `open`; these statuses take a transition right after the create. */
function needsTransitionAfterCreate(status: CanonicalStatus): boolean {
  return (
    status !== CanonicalStatus.TODO && status !== CanonicalStatus.DONE && status !== CanonicalStatus.CANCELED
  );
}

/** bd's (cobra's) answer to `list --external-ref` when it does not know the flag. */
function isUnknownExternalRefFlag(error: unknown): boolean {
  return (
    ConnectorRequestError.isInstance(error) &&
    /unknown flag: --external-ref\b/.test((error as ConnectorRequestError).message)
  );
}

function parseCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  if (!CURSOR_PATTERN.test(cursor)) {
    throw new ConnectorRequestError(
      `malformed cursor: '${cursor}' (expected an offset returned by listIssues)`,
      {
        statusCode: 400,
        provider: BEADS_SYSTEM,
      },
    );
  }
  return Number.parseInt(cursor, 10);
}

/** `payload.id` → `payload.issue.id` → `payload[0].id`, like the original. */
function createdId(payload: unknown): string {
  const candidates: unknown[] = [];
  if (isRecord(payload)) {
    candidates.push(payload.id);
    if (isRecord(payload.issue)) candidates.push(payload.issue.id);
  }
  if (Array.isArray(payload) && isRecord(payload[0])) candidates.push(payload[0].id);
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  throw new ConnectorRequestError('Unable to determine issue id from beads response', {
    provider: BEADS_SYSTEM,
  });
}
