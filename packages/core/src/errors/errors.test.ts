import { describe, expect, it, vi } from 'vitest';
import {
  CapabilityNotSupportedError,
  ConnectorConfigError,
  ConnectorRequestError,
  DecisionReferenceContractError,
  DiscoveryContractError,
  HostedAuthRequiredError,
  IssueNotFoundError,
  IssuePayloadContractError,
  isStatusTransitionRefusal,
  ModelValidationError,
  ScopeViolationError,
  SpecKittyTrackerError,
  STATUS_TRANSITION_CAPABILITY,
  SyncConflictError,
  TrackerContractError,
} from './errors';
import { classifyHttpStatus, FailureClass } from './failure-class';

describe('classifyHttpStatus', () => {
  it.each([
    [429, 'rate_limit'],
    [408, 'transient'],
    [425, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [401, 'authentication'],
    [403, 'permission'],
    [404, 'not_found'],
    [400, 'validation'],
    [409, 'validation'],
    [422, 'validation'],
    [200, 'non_retryable'],
    [501, 'non_retryable'],
    [418, 'non_retryable'],
    [410, 'non_retryable'],
  ])('%i → %s', (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });
});

describe('error hierarchy', () => {
  it('follows the original tree, checked with isInstance markers', () => {
    const cases: [
      SpecKittyTrackerError,
      (abstract new (...args: never[]) => unknown) & { isInstance(v: unknown): boolean },
    ][] = [
      [new ConnectorConfigError('x'), SpecKittyTrackerError],
      [new DiscoveryContractError('x'), TrackerContractError],
      [new IssuePayloadContractError('x'), TrackerContractError],
      [new DecisionReferenceContractError('x'), TrackerContractError],
      [new HostedAuthRequiredError(), ConnectorRequestError],
      [new SyncConflictError('x'), SpecKittyTrackerError],
      [new IssueNotFoundError('x'), SpecKittyTrackerError],
      [new ModelValidationError('x'), SpecKittyTrackerError],
    ];
    for (const [error, parent] of cases) {
      expect(parent.isInstance(error)).toBe(true);
      expect(SpecKittyTrackerError.isInstance(error)).toBe(true);
    }
    expect(TrackerContractError.isInstance(new ScopeViolationError('x'))).toBe(false);
    expect(ConnectorRequestError.isInstance(new TrackerContractError('x'))).toBe(false);
    expect(IssueNotFoundError.isInstance(new Error('x'))).toBe(false);
    expect(SpecKittyTrackerError.isInstance(null)).toBe(false);
  });

  it('recognises errors from another copy of the module by marker, not instanceof', async () => {
    vi.resetModules();
    const other = (await import(`./errors?copy=${Date.now()}`)) as typeof import('./errors');
    const foreign = new other.IssueNotFoundError('from another copy');
    expect(foreign instanceof IssueNotFoundError).toBe(false);
    expect(IssueNotFoundError.isInstance(foreign)).toBe(true);
    expect(SpecKittyTrackerError.isInstance(foreign)).toBe(true);
    expect(ConnectorRequestError.isInstance(foreign)).toBe(false);
  });

  it('renders as "<Name>: <message>" and keeps the message verbatim', () => {
    const error = new CapabilityNotSupportedError('no links', { capability: 'links' });
    expect(String(error)).toBe('CapabilityNotSupportedError: no links');
    expect(error.message).toBe('no links');
    expect(error.capability).toBe('links');
    expect(new CapabilityNotSupportedError('x').capability).toBeNull();
  });

  it('keeps contract attributes, defaulting to null', () => {
    const error = new IssuePayloadContractError("Unknown patch key: 'severity'", {
      provider: 'beads',
      kind: 'patch',
      fieldPath: 'severity',
      reason: 'PK-001',
    });
    expect([error.provider, error.kind, error.fieldPath, error.reason]).toEqual([
      'beads',
      'patch',
      'severity',
      'PK-001',
    ]);
    const bare = new DiscoveryContractError('x');
    expect([bare.provider, bare.kind, bare.fieldPath, bare.reason]).toEqual([null, null, null, null]);
    const scope = new ScopeViolationError('x', { expectedScope: 'a', actualScope: 'b' });
    expect([scope.expectedScope, scope.actualScope]).toEqual(['a', 'b']);
  });
});

describe('ConnectorRequestError', () => {
  it('derives the failure class: explicit, else from status, else non_retryable', () => {
    expect(new ConnectorRequestError('x', { statusCode: 503 }).failureClass).toBe(FailureClass.TRANSIENT);
    expect(
      new ConnectorRequestError('x', { statusCode: 503, failureClass: FailureClass.VALIDATION }).failureClass,
    ).toBe('validation');
    expect(new ConnectorRequestError('x').failureClass).toBe(FailureClass.NON_RETRYABLE);
  });

  it('is retryable only for transient and rate_limit', () => {
    expect(new ConnectorRequestError('x', { statusCode: 429 }).isRetryable).toBe(true);
    expect(new ConnectorRequestError('x', { statusCode: 500 }).isRetryable).toBe(true);
    expect(new ConnectorRequestError('x', { statusCode: 404 }).isRetryable).toBe(false);
    expect(new ConnectorRequestError('x').isRetryable).toBe(false);
  });

  it('keeps retryAfterSeconds and provider', () => {
    const error = new ConnectorRequestError('x', {
      statusCode: 429,
      retryAfterSeconds: 60,
      provider: 'github',
    });
    expect(error.retryAfterSeconds).toBe(60);
    expect(error.provider).toBe('github');
  });
});

describe('HostedAuthRequiredError', () => {
  it('defaults to 401 with the original message and is never retryable', () => {
    const error = new HostedAuthRequiredError();
    expect(error.message).toBe('Hosted tracker authentication is required.');
    expect(error.statusCode).toBe(401);
    expect(error.failureClass).toBe(FailureClass.AUTHENTICATION);
    expect(error.isRetryable).toBe(false);
  });

  it('forces authentication even with a 403', () => {
    expect(new HostedAuthRequiredError('denied', { statusCode: 403 }).failureClass).toBe(
      FailureClass.AUTHENTICATION,
    );
  });
});

describe('status refusal helpers', () => {
  it('recognise the "status" capability', () => {
    expect(STATUS_TRANSITION_CAPABILITY).toBe('status');
    expect(isStatusTransitionRefusal(new CapabilityNotSupportedError('x', { capability: 'status' }))).toBe(
      true,
    );
    expect(isStatusTransitionRefusal(new CapabilityNotSupportedError('x', { capability: 'links' }))).toBe(
      false,
    );
    expect(isStatusTransitionRefusal(new CapabilityNotSupportedError('x'))).toBe(false);
  });
});
