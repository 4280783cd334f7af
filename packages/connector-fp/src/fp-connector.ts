import {
  type CanonicalIssue,
  type CanonicalLink,
  CanonicalStatus,
  CapabilityNotSupportedError,
  type CommandRunner,
  ConnectorRequestError,
  type ConnectorRuntime,
  capabilities,
  cloneIssue,
  createRef,
  type EventsPage,
  type ExternalRef,
  IssueNotFoundError,
  type IssuePatch,
  type IssueTombstone,
  isCanonicalStatus,
  LinkType,
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
  contextArgv,
  createArgv,
  createDependsIds,
  dependsArgv,
  listArgv,
  showArgv,
  showJsonArgv,
  updateArgv,
} from './fp-argv';
import { type FPConnectorConfig, type FPConnectorConfigInput, resolveFPConfig } from './fp-config';
import { checkFpGone } from './fp-gone';
import { extractFpId, parseFpLines } from './fp-line-parser';
import { canonicalPriorityToFp, FP_SYSTEM, fpLineToIssue, projectFpIssue, STATUS_TO_FP } from './fp-mapping';

/** Runtime inputs of a `FPConnector` that are not config. */
export interface FPConnectorOptions extends ConnectorRuntime {
  /**
   * Runs fp. Required when `config.context` is set (a scoped context must go through an explicit,
   * e.g. gateway-backed, runner); otherwise defaults to a `SubprocessCommandRunner`.
   */
  runner?: CommandRunner;
}

const FP_CAPABILITIES: TrackerCapabilities = capabilities({
  supportsWebhooks: false,
  supportsComments: true,
  supportsHierarchy: true,
  supportsDependencies: true,
  supportsCustomFields: false,
  supportsMultiAssignee: false,
  supportsSprintsOrCycles: false,
  supportsBulkRead: false,
  supportsBulkWrite: false,
  supportsDelete: false,
  supportsAssignment: false,
  supportsTerminalTransition: false,
  reportsDeletions: true,
});

const UNSUPPORTED_PATCH_KEYS = ['assignees', 'customFields', 'labels', 'issueType', 'parent'] as const;

/** How many paginations in progress keep a list snapshot. */
const MAX_LIST_SNAPSHOTS = 8;

/** How many issues `getIssue` scans when `fp issue show` does not print the issue line. */
const GET_FALLBACK_LIMIT = 500;

/**
 * Drives fp (fp.dev by Fiberplane) by parsing its human-readable output, with the original's
 * argv, status/priority vocabularies and patch rules.
 */
export class FPConnector implements TrackerConnector {
  readonly name = FP_SYSTEM;
  readonly config: FPConnectorConfig;
  readonly #cli: LocalCliInvoker;
  /** The full list kept for the cursor handed out last, per list query. */
  readonly #listSnapshots = new Map<string, { cursor: string; issues: CanonicalIssue[] }>();

  constructor(config: FPConnectorConfigInput = {}, options: FPConnectorOptions = {}) {
    this.config = resolveFPConfig(config);
    this.#cli = new LocalCliInvoker({
      configName: 'FPConnectorConfig',
      provider: FP_SYSTEM,
      cwd: this.config.cwd,
      context: this.config.context,
      timeoutMs: this.config.timeoutMs,
      runner: options.runner,
      notFound: /issue \S+ not found/i,
      notFoundMessage: (id) => `fp issue not found: ${id}`,
    });
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return FP_CAPABILITIES;
  }

  async #listAll(
    filters: Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<CanonicalIssue[]> {
    const stdout = await this.#cli.run(listArgv(this.config.command, filters), signal);
    return parseFpLines(stdout).map((line) =>
      fpLineToIssue(line, this.config.workspace, this.config.defaultIssueType),
    );
  }

  /**
   * `fp issue list [--status S]`. `updatedSince` is ignored (fp's text output has no timestamps).
   * **Better than the original**: offset cursors page through the whole list (the original
   * returned only the first `limit` issues and no cursor); the list printed for the first page is
   * kept for the cursor handed out, so a full pagination runs fp once.
   */
  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const offset = parseCursor(query.cursor);
    const limit = Math.max(0, Math.trunc(query.limit));
    const filters = query.filters ?? {};
    const key = listArgv(this.config.command, filters).join('\u0000');
    const snapshot = this.#listSnapshots.get(key);
    const all =
      offset !== 0 && snapshot !== undefined && snapshot.cursor === query.cursor
        ? snapshot.issues
        : await this.#listAll(filters, query.signal);
    const nextCursor = limit > 0 && all.length > offset + limit ? String(offset + limit) : null;
    this.#listSnapshots.delete(key);
    if (nextCursor !== null) {
      if (this.#listSnapshots.size >= MAX_LIST_SNAPSHOTS) {
        const oldest = this.#listSnapshots.keys().next().value;
        if (oldest !== undefined) this.#listSnapshots.delete(oldest);
      }
      this.#listSnapshots.set(key, { cursor: nextCursor, issues: all });
    }
    return { items: all.slice(offset, offset + limit), nextCursor };
  }

  /**
   * Tombstones (`deleted`) of the refs fp no longer has: one `fp issue list`, then
   * `fp issue show <id>` for each ref it does not list (4 at a time), which must answer "Issue
   * <id> not found". fp shows no archived or moved state. Any other failure throws.
   */
  async checkGone(
    refs: readonly ExternalRef[],
    options: { signal?: AbortSignal } = {},
  ): Promise<IssueTombstone[]> {
    return checkFpGone(
      {
        listedIds: async (signal) => new Set((await this.#listAll({}, signal)).map((issue) => issue.ref.id)),
        showsNotFound: async (id, signal) => {
          try {
            await this.#cli.run(showArgv(this.config.command, id), signal);
            return false;
          } catch (error) {
            if (this.#cli.isNotFound(error)) return true;
            throw error;
          }
        },
      },
      refs,
      options.signal,
    );
  }

  /**
   * `fp issue show <id>` then `fp context <id>`; the issue line of the show output, else a minimal
   * issue when show names the id, else a scan of `fp issue list`. The body is the context text.
   * **Better than the original**: fp's "Issue <id> not found" becomes `IssueNotFoundError`.
   */
  async getIssue(ref: ExternalRef, options: { signal?: AbortSignal } = {}): Promise<CanonicalIssue> {
    let show: string;
    let context: string;
    try {
      show = await this.#cli.run(showArgv(this.config.command, ref.id), options.signal);
      context = await this.#cli.run(contextArgv(this.config.command, ref.id), options.signal);
    } catch (error) {
      if (this.#cli.isNotFound(error))
        throw new IssueNotFoundError(`fp issue not found: ${ref.id}`, { cause: error });
      throw error;
    }
    let issue: CanonicalIssue | undefined;
    const line = parseFpLines(show).find((candidate) => candidate.id === ref.id);
    if (line !== undefined) {
      issue = fpLineToIssue(line, this.config.workspace, this.config.defaultIssueType);
    } else if (extractFpId(show) === ref.id) {
      issue = fpLineToIssue(
        { id: ref.id, status: 'todo', priority: null, title: ref.id, line: '' },
        this.config.workspace,
        this.config.defaultIssueType,
      );
    }
    if (issue !== undefined) {
      const contextText = context.trim();
      return cloneIssue(issue, {
        body: contextText !== '' ? contextText : issue.body,
        raw: { show, context },
      });
    }
    const listed = (await this.#listAll({}, options.signal))
      .slice(0, GET_FALLBACK_LIMIT)
      .find((item) => item.ref.id === ref.id);
    if (listed === undefined) throw new IssueNotFoundError(`fp issue not found: ${ref.id}`);
    const contextText = context.trim();
    return contextText === '' ? listed : cloneIssue(listed, { body: contextText });
  }

  /**
   * `fp issue create …` then a re-read, a transition when the status is not todo, and `upsertLink`
   * for links. **Better than the original**: blocked_by/relates_to links are already written by
   * `--depends` at create and are not re-written one by one (fp's `--depends` replaces the whole
   * list, so the original's per-link re-writes left only the last dependency).
   */
  async createIssue(issue: CanonicalIssue, options: WriteOptions = {}): Promise<CanonicalIssue> {
    const stdout = await this.#cli.run(createArgv(this.config.command, issue), options.signal);
    const ref = createRef({ system: FP_SYSTEM, workspace: this.config.workspace, id: extractFpId(stdout) });
    let created = await this.getIssue(ref, { signal: options.signal });
    if (issue.status !== CanonicalStatus.TODO)
      created = await this.transitionIssue(created.ref, issue.status);
    const alreadyWritten = new Set(createDependsIds(issue));
    for (const link of issue.links) {
      if (link.type === LinkType.BLOCKS) await this.upsertLink(created.ref, link);
      else if (
        (link.type === LinkType.BLOCKED_BY || link.type === LinkType.RELATES_TO) &&
        !alreadyWritten.has(link.target.id)
      ) {
        await this.upsertLink(created.ref, link);
      }
    }
    return created;
  }

  async updateIssue(
    ref: ExternalRef,
    patch: IssuePatch,
    options: WriteOptions = {},
  ): Promise<CanonicalIssue> {
    const record = patch as Readonly<Record<string, unknown>>;
    rejectUnknownPatchKeys(record, FP_SYSTEM);
    const unsupported = UNSUPPORTED_PATCH_KEYS.filter((key) => key in record).sort();
    if (unsupported.length > 0) {
      throw new CapabilityNotSupportedError(
        `FPConnector does not currently support patch keys: ${unsupported.join(', ')}`,
      );
    }
    if ('title' in record || 'body' in record) {
      throw new CapabilityNotSupportedError(
        'FPConnector update currently supports status/priority/dependencies only',
      );
    }
    const flags: string[] = [];
    if ('status' in record && record.status !== undefined) {
      const status = record.status;
      if (typeof status !== 'string' || !isCanonicalStatus(status)) {
        throw new ConnectorRequestError(
          `status patch must be a CanonicalStatus, got ${JSON.stringify(status)}`,
        );
      }
      flags.push('--status', STATUS_TO_FP[status]);
    }
    if (record.priority !== null && record.priority !== undefined) {
      flags.push('--priority', canonicalPriorityToFp(Number(record.priority)));
    }
    if (flags.length > 0)
      await this.#cli.runFor(ref.id, updateArgv(this.config.command, ref.id, flags), options.signal);
    return this.getIssue(ref, { signal: options.signal });
  }

  /** How `issue` reads back from fp (lines hold status, priority, title): see `projectFpIssue`. */
  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectFpIssue(issue, this.config.defaultIssueType);
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return this.updateIssue(ref, { status: target });
  }

  /**
   * `fp issue update --depends <ids> <target>`. fp's `--depends` replaces the target's whole
   * dependency list, so — **better than the original**, which wrote the single id and dropped the
   * others — the connector first reads the current list (`fp issue show --format json`), does
   * nothing when the dependency is already there, and otherwise writes the old ids plus the new
   * one. If fp's JSON cannot be read, it falls back to the original single-id write.
   */
  async upsertLink(ref: ExternalRef, link: CanonicalLink): Promise<void> {
    let depends: string;
    let target: string;
    if (link.type === LinkType.BLOCKS) {
      depends = ref.id;
      target = link.target.id;
    } else if (link.type === LinkType.BLOCKED_BY || link.type === LinkType.RELATES_TO) {
      depends = link.target.id;
      target = ref.id;
    } else {
      throw new CapabilityNotSupportedError(`Unsupported fp link type: ${String(link.type)}`);
    }
    const current = await this.#currentDependencies(target);
    if (current?.includes(depends)) return;
    const ids = current === null ? [depends] : [...current, depends];
    await this.#cli.run(dependsArgv(this.config.command, ids.join(','), target));
  }

  /** The dependency ids of `id` from fp's JSON, or null when fp does not print readable JSON. */
  async #currentDependencies(id: string): Promise<string[] | null> {
    let stdout: string;
    try {
      stdout = await this.#cli.run(showJsonArgv(this.config.command, id));
    } catch (error) {
      if (this.#cli.isNotFound(error))
        throw new IssueNotFoundError(`fp issue not found: ${id}`, { cause: error });
      // An fp without `--format json` on show rejects the flag: fall back. Timeouts etc. propagate.
      if (
        ConnectorRequestError.isInstance(error) &&
        (error as Error).message.startsWith('Command failed: ')
      ) {
        return null;
      }
      throw error;
    }
    try {
      const payload: unknown = JSON.parse(stdout);
      const dependencies = (payload as { dependencies?: unknown } | null)?.dependencies;
      if (!Array.isArray(dependencies) || !dependencies.every((item) => typeof item === 'string'))
        return null;
      return dependencies as string[];
    } catch {
      return null;
    }
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    await this.#cli.runFor(ref.id, commentArgv(this.config.command, ref.id, body));
  }

  async listEvents(): Promise<EventsPage> {
    return { events: [], checkpoint: null };
  }
}

function parseCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  if (!/^\d+$/.test(cursor)) {
    throw new ConnectorRequestError(
      `malformed cursor: '${cursor}' (expected an offset returned by listIssues)`,
      {
        statusCode: 400,
        provider: FP_SYSTEM,
      },
    );
  }
  return Number.parseInt(cursor, 10);
}
