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
  /** The class's stable name (also `error.name`); `isInstance` matches on it across copies of core. */
  static readonly errorName: string = 'SpecKittyTrackerError';

  /** `options.cause` is kept as the standard `Error.cause`. */
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

  /** Whether `value` is an instance of this class (or a subclass), even when thrown by another copy of core. */
  static isInstance<T>(
    this: (abstract new (...args: never[]) => T) & { readonly errorName: string },
    value: unknown,
  ): value is T {
    return typeof value === 'object' && value !== null && markerFor(this.errorName) in value;
  }
}

/** One invalid field of a connector config: its path (`baseUrl`, `labels[2]`, `<root>`) and what is wrong. */
export interface ConnectorConfigIssue {
  /** Where in the config, e.g. `baseUrl`, `labels[2]`, `<root>`. */
  readonly path: string;
  /** What is wrong with it. */
  readonly message: string;
}

/** Invalid connector configuration, or misuse of a registry. `issues` names each bad field when known. */
export class ConnectorConfigError extends SpecKittyTrackerError {
  /** `'ConnectorConfigError'`. */
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
  /** `'ModelValidationError'`. */
  static override readonly errorName: string = 'ModelValidationError';
}

/** The connector cannot do what was asked (e.g. a status transition its workflow refuses). */
export class CapabilityNotSupportedError extends SpecKittyTrackerError {
  /** `'CapabilityNotSupportedError'`. */
  static override readonly errorName: string = 'CapabilityNotSupportedError';
  /** The capability that is missing, e.g. `status`. */
  readonly capability: string | null;
  /** Builds the error; `capability` defaults to null. */
  constructor(message: string, options?: { capability?: string | null; cause?: unknown }) {
    super(message, options);
    this.capability = options?.capability ?? null;
  }
}

/** The issue does not exist in the tracker (or is not visible to the credentials). */
export class IssueNotFoundError extends SpecKittyTrackerError {
  /** `'IssueNotFoundError'`. */
  static override readonly errorName: string = 'IssueNotFoundError';
}

/** Raised when strict manual review is on and a sync produced manual-review conflicts. */
export class SyncConflictError extends SpecKittyTrackerError {
  /** `'SyncConflictError'`. */
  static override readonly errorName: string = 'SyncConflictError';
}

/** Options of `TrackerContractError` and its subclasses. */
export interface TrackerContractErrorOptions {
  /** The tracker provider id. */
  provider?: string | null;
  /** What kind of payload broke the contract, e.g. `patch`, `mission`. */
  kind?: string | null;
  /** Where in the payload, e.g. `customFields.foo`. */
  fieldPath?: string | null;
  /** A stable code, e.g. `PK-001`. */
  reason?: string | null;
  /** The underlying error. */
  cause?: unknown;
}

/** A payload crossing the tracker boundary broke its contract; `reason` is a stable code. */
export class TrackerContractError extends SpecKittyTrackerError {
  /** `'TrackerContractError'`. */
  static override readonly errorName: string = 'TrackerContractError';
  /** The tracker provider id, when known. */
  readonly provider: string | null;
  /** What kind of payload broke the contract, e.g. `patch`. */
  readonly kind: string | null;
  /** Where in the payload. */
  readonly fieldPath: string | null;
  /** A stable code, e.g. `PK-001`. */
  readonly reason: string | null;
  /** Builds the error; every option defaults to null. */
  constructor(message: string, options?: TrackerContractErrorOptions) {
    super(message, options);
    this.provider = options?.provider ?? null;
    this.kind = options?.kind ?? null;
    this.fieldPath = options?.fieldPath ?? null;
    this.reason = options?.reason ?? null;
  }
}

/** A discoverer returned a result that breaks the discovery contract (`reason` and `fieldPath` say where). */
export class DiscoveryContractError extends TrackerContractError {
  /** `'DiscoveryContractError'`. */
  static override readonly errorName: string = 'DiscoveryContractError';
}

/** An issue payload or patch broke its contract (e.g. `PK-001` unknown patch key, beads payloads). */
export class IssuePayloadContractError extends TrackerContractError {
  /** `'IssuePayloadContractError'`. */
  static override readonly errorName: string = 'IssuePayloadContractError';
}

/** A decision reference broke its contract (`DR-00x` reasons). */
export class DecisionReferenceContractError extends TrackerContractError {
  /** `'DecisionReferenceContractError'`. */
  static override readonly errorName: string = 'DecisionReferenceContractError';
}

/** A connector was asked to touch something outside its configured scope. */
export class ScopeViolationError extends SpecKittyTrackerError {
  /** `'ScopeViolationError'`. */
  static override readonly errorName: string = 'ScopeViolationError';
  /** The scope the connector is bound to. */
  readonly expectedScope: string | null;
  /** The scope the request named. */
  readonly actualScope: string | null;
  /** Builds the error; both scopes default to null. */
  constructor(
    message: string,
    options?: { expectedScope?: string | null; actualScope?: string | null; cause?: unknown },
  ) {
    super(message, options);
    this.expectedScope = options?.expectedScope ?? null;
    this.actualScope = options?.actualScope ?? null;
  }
}

/** Options of `ConnectorRequestError` and its subclasses. */
export interface ConnectorRequestErrorOptions {
  /** HTTP status (or CLI exit status) of the failed request. */
  statusCode?: number | null;
  /** How to treat the failure; derived from `statusCode` when omitted. */
  failureClass?: FailureClass | null;
  /** How long the tracker asked to wait, when it said. */
  retryAfterSeconds?: number | null;
  /** The tracker provider id. */
  provider?: string | null;
  /** The underlying error. */
  cause?: unknown;
}

/** A request to a tracker (HTTP or CLI) failed; `failureClass` drives retry decisions. */
export class ConnectorRequestError extends SpecKittyTrackerError {
  /** `'ConnectorRequestError'`. */
  static override readonly errorName: string = 'ConnectorRequestError';
  /** HTTP status (or CLI exit status), when there was one. */
  readonly statusCode: number | null;
  /** How to treat the failure (drives retries). */
  readonly failureClass: FailureClass;
  /** How long the tracker asked to wait, when it said. */
  readonly retryAfterSeconds: number | null;
  /** The tracker provider id, when known. */
  readonly provider: string | null;
  /** Builds the error; `failureClass` defaults to the class of `statusCode`. */
  constructor(message: string, options?: ConnectorRequestErrorOptions) {
    super(message, options);
    this.statusCode = options?.statusCode ?? null;
    this.failureClass =
      options?.failureClass ??
      (this.statusCode === null ? FailureClass.NON_RETRYABLE : classifyHttpStatus(this.statusCode));
    this.retryAfterSeconds = options?.retryAfterSeconds ?? null;
    this.provider = options?.provider ?? null;
  }

  /** Whether a retry may succeed (transient or rate-limit failures). */
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
  /** `'RateLimitedError'`. */
  static override readonly errorName: string = 'RateLimitedError';
  /** When the server says requests may resume. */
  readonly resetAt: Date;
  /** Builds the error; always `rate_limit`. */
  constructor(message: string, options: RateLimitedErrorOptions) {
    super(message, { ...options, failureClass: FailureClass.RATE_LIMIT });
    this.resetAt = options.resetAt;
  }

  /** False, although the class is `rate_limit`: not within this run (see the class comment). */
  override get isRetryable(): boolean {
    return false;
  }
}

/** Options of `RateLimitedError`: those of `ConnectorRequestError` plus `resetAt`. */
export interface RateLimitedErrorOptions extends Omit<ConnectorRequestErrorOptions, 'failureClass'> {
  /** When the server says requests may resume. */
  resetAt: Date;
}

/**
 * The tracker did not answer in time: one request exceeded its timeout (`scope: 'request'`), or
 * an operation with all its retries exceeded its deadline (`scope: 'operation'`). Transient; a
 * sync run stops on it once its retries are spent, since every further call would wait as long.
 */
export class ConnectorTimeoutError extends ConnectorRequestError {
  /** `'ConnectorTimeoutError'`. */
  static override readonly errorName: string = 'ConnectorTimeoutError';
  /** The timeout or deadline that was exceeded, in ms. */
  readonly timeoutMs: number;
  /** `request` (one request) or `operation` (an operation with its retries). */
  readonly scope: 'request' | 'operation';
  /** Builds the error; always `transient`. */
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
  /** `'ConcurrentModificationError'`. */
  static override readonly errorName: string = 'ConcurrentModificationError';
  /** Builds the error; always `validation`. */
  constructor(message: string, options?: Omit<ConnectorRequestErrorOptions, 'failureClass'>) {
    super(message, { ...options, failureClass: FailureClass.VALIDATION });
  }
}

/** Raised by hosts when hosted (Nango) auth is missing; always `authentication`, never retryable. */
export class HostedAuthRequiredError extends ConnectorRequestError {
  /** `'HostedAuthRequiredError'`. */
  static override readonly errorName: string = 'HostedAuthRequiredError';
  /** Builds the error with the original's default message and status 401. */
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

/** The `capability` of a `CapabilityNotSupportedError` raised for a refused status transition. */
export const STATUS_TRANSITION_CAPABILITY = 'status';

/** Whether the error is a refused status transition (`capability === STATUS_TRANSITION_CAPABILITY`). */
export function isStatusTransitionRefusal(error: CapabilityNotSupportedError): boolean {
  return error.capability === STATUS_TRANSITION_CAPABILITY;
}
