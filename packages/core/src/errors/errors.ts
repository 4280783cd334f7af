import { classifyHttpStatus, FailureClass, isRetryableFailureClass } from './failure-class';

const MARKER_PREFIX = 'spec-kitty.error.';

function markerFor(errorName: string): symbol {
  return Symbol.for(MARKER_PREFIX + errorName);
}

interface ErrorClassWithName {
  readonly errorName: string;
}

/**
 * Base of every error the library throws. `isInstance` checks a `Symbol.for` marker instead of
 * `instanceof`, so errors thrown by a second copy of core (nested installs, bundler duplicates)
 * are still recognised.
 */
export class SpecKittyTrackerError extends Error {
  static readonly errorName: string = 'SpecKittyTrackerError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const ownClass = new.target as unknown as ErrorClassWithName;
    this.name = ownClass.errorName;
    // Mark this object with every class in its chain, so SubError.isInstance and
    // BaseError.isInstance both hold across package copies.
    let current: unknown = new.target;
    while (typeof current === 'function' && 'errorName' in current) {
      const name = (current as ErrorClassWithName).errorName;
      Object.defineProperty(this, markerFor(name), { value: true, enumerable: false });
      current = Object.getPrototypeOf(current);
    }
  }

  static isInstance<T>(
    this: (abstract new (...args: never[]) => T) & ErrorClassWithName,
    value: unknown,
  ): value is T {
    return typeof value === 'object' && value !== null && markerFor(this.errorName) in value;
  }
}

/** One invalid field of a connector config: its path (`baseUrl`, `labels[2]`, `<root>`) and what is wrong. */
export interface ConnectorConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Invalid connector configuration, or misuse of a registry. `issues` names each bad field when known. */
export class ConnectorConfigError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'ConnectorConfigError';
  /** The connector whose config failed, when known. */
  readonly connectorId: string | null;
  /** Each bad field (empty when the error is not about individual fields). */
  readonly issues: readonly ConnectorConfigIssue[];
  constructor(
    message: string,
    options?: { cause?: unknown; connectorId?: string | null; issues?: readonly ConnectorConfigIssue[] },
  ) {
    super(message, options);
    this.connectorId = options?.connectorId ?? null;
    this.issues = Object.freeze([...(options?.issues ?? [])]);
  }
}

/** A value failed the model's validation (the original raised `ValueError`). */
export class ModelValidationError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'ModelValidationError';
}

export class CapabilityNotSupportedError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'CapabilityNotSupportedError';
  readonly capability: string | null;
  constructor(message: string, options?: { capability?: string | null; cause?: unknown }) {
    super(message, options);
    this.capability = options?.capability ?? null;
  }
}

export class IssueNotFoundError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'IssueNotFoundError';
}

/** Raised when strict manual review is on and a sync produced manual-review conflicts. */
export class SyncConflictError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'SyncConflictError';
}

export interface TrackerContractErrorOptions {
  provider?: string | null;
  kind?: string | null;
  fieldPath?: string | null;
  reason?: string | null;
  cause?: unknown;
}

/** A payload crossing the tracker boundary broke its contract; `reason` is a stable code. */
export class TrackerContractError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'TrackerContractError';
  readonly provider: string | null;
  readonly kind: string | null;
  readonly fieldPath: string | null;
  readonly reason: string | null;
  constructor(message: string, options?: TrackerContractErrorOptions) {
    super(message, options);
    this.provider = options?.provider ?? null;
    this.kind = options?.kind ?? null;
    this.fieldPath = options?.fieldPath ?? null;
    this.reason = options?.reason ?? null;
  }
}

export class DiscoveryContractError extends TrackerContractError {
  static override readonly errorName: string = 'DiscoveryContractError';
}

export class IssuePayloadContractError extends TrackerContractError {
  static override readonly errorName: string = 'IssuePayloadContractError';
}

export class DecisionReferenceContractError extends TrackerContractError {
  static override readonly errorName: string = 'DecisionReferenceContractError';
}

export class ScopeViolationError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'ScopeViolationError';
  readonly expectedScope: string | null;
  readonly actualScope: string | null;
  constructor(
    message: string,
    options?: { expectedScope?: string | null; actualScope?: string | null; cause?: unknown },
  ) {
    super(message, options);
    this.expectedScope = options?.expectedScope ?? null;
    this.actualScope = options?.actualScope ?? null;
  }
}

export interface ConnectorRequestErrorOptions {
  statusCode?: number | null;
  failureClass?: FailureClass | null;
  retryAfterSeconds?: number | null;
  provider?: string | null;
  cause?: unknown;
}

/** A request to a tracker (HTTP or CLI) failed; `failureClass` drives retry decisions. */
export class ConnectorRequestError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'ConnectorRequestError';
  readonly statusCode: number | null;
  readonly failureClass: FailureClass;
  readonly retryAfterSeconds: number | null;
  readonly provider: string | null;
  constructor(message: string, options?: ConnectorRequestErrorOptions) {
    super(message, options);
    this.statusCode = options?.statusCode ?? null;
    this.failureClass =
      options?.failureClass ??
      (this.statusCode === null ? FailureClass.NON_RETRYABLE : classifyHttpStatus(this.statusCode));
    this.retryAfterSeconds = options?.retryAfterSeconds ?? null;
    this.provider = options?.provider ?? null;
  }

  get isRetryable(): boolean {
    return isRetryableFailureClass(this.failureClass);
  }
}

/**
 * The tracker asked us to wait longer than the caller accepts (`Retry-After`, or a rate-limit
 * reset header). Not retried: retrying before `resetAt` is refused again, and sleeping through
 * an hour-long wait would hang the run. A sync run stops at once on it; hosts report `resetAt`
 * and try again after it.
 */
export class RateLimitedError extends ConnectorRequestError {
  static override readonly errorName: string = 'RateLimitedError';
  /** When the server says requests may resume. */
  readonly resetAt: Date;
  constructor(message: string, options: RateLimitedErrorOptions) {
    super(message, { ...options, failureClass: FailureClass.RATE_LIMIT });
    this.resetAt = options.resetAt;
  }

  /** False, although the class is `rate_limit`: not within this run (see the class comment). */
  override get isRetryable(): boolean {
    return false;
  }
}

export interface RateLimitedErrorOptions extends Omit<ConnectorRequestErrorOptions, 'failureClass'> {
  resetAt: Date;
}

/**
 * The tracker did not answer in time: one request exceeded its timeout (`scope: 'request'`), or
 * an operation with all its retries exceeded its deadline (`scope: 'operation'`). Transient; a
 * sync run stops on it once its retries are spent, since every further call would wait as long.
 */
export class ConnectorTimeoutError extends ConnectorRequestError {
  static override readonly errorName: string = 'ConnectorTimeoutError';
  readonly timeoutMs: number;
  readonly scope: 'request' | 'operation';
  constructor(
    message: string,
    options: Omit<ConnectorRequestErrorOptions, 'failureClass' | 'statusCode'> & {
      timeoutMs: number;
      scope: 'request' | 'operation';
    },
  ) {
    super(message, { ...options, failureClass: FailureClass.TRANSIENT });
    this.timeoutMs = options.timeoutMs;
    this.scope = options.scope;
  }
}

/**
 * The tracker refused a write because the issue changed since it was read (optimistic
 * concurrency: Azure DevOps `test /rev`, HTTP 409/412). Never retried blindly: the sync engine
 * re-reads the issue, merges again (recording a conflict where both sides changed a field) and
 * writes once more.
 */
export class ConcurrentModificationError extends ConnectorRequestError {
  static override readonly errorName: string = 'ConcurrentModificationError';
  constructor(message: string, options?: Omit<ConnectorRequestErrorOptions, 'failureClass'>) {
    super(message, { ...options, failureClass: FailureClass.VALIDATION });
  }
}

/** Raised by hosts when hosted (Nango) auth is missing; always `authentication`, never retryable. */
export class HostedAuthRequiredError extends ConnectorRequestError {
  static override readonly errorName: string = 'HostedAuthRequiredError';
  constructor(
    message = 'Hosted tracker authentication is required.',
    options?: Omit<ConnectorRequestErrorOptions, 'failureClass'>,
  ) {
    super(message, {
      ...options,
      statusCode: options?.statusCode ?? 401,
      failureClass: FailureClass.AUTHENTICATION,
    });
  }
}

export const STATUS_TRANSITION_CAPABILITY = 'status';

export function isStatusTransitionRefusal(error: CapabilityNotSupportedError): boolean {
  return error.capability === STATUS_TRANSITION_CAPABILITY;
}
