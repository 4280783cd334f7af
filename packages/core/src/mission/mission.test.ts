import { describe, expect, it } from 'vitest';
import {
  CapabilityNotSupportedError,
  DecisionReferenceContractError,
  ModelValidationError,
} from '../errors/errors';
import { LinkType } from '../model/enums';
import { createRef } from '../model/external-ref';
import { cloneIssue } from '../model/issue';
import { createLink } from '../model/link';
import { counting } from '../sync/test-support/counting-connector';
import { FakeTracker } from '../sync/test-support/fake-tracker';
import { issue, ref } from '../sync/test-support/fixtures';
import type { JsonValue } from '../util/json-value';
import { BidirectionalIssueSync } from './bidirectional-issue-sync';
import { decisionLinkMismatches } from './decision-link-mismatches';
import { createDecisionReference, decisionReferenceToJSON } from './decision-reference';
import { assertNoForbiddenLegacyKeys, FORBIDDEN_TEAMSPACE_LEGACY_KEYS } from './legacy-keys';
import { missionPayload, pythonIsoFormat, renderMissionComment } from './mission-payload';
import { createMissionSeed, missionSeedFromIssue } from './mission-seed';
import { createMissionUpdate } from './mission-update';

const decisionRef = createRef({ system: 'jira', workspace: 'w', id: 'DEC-1' });

describe('legacy keys', () => {
  it('are exactly the three TeamSpace keys, found at any depth, sorted in the message', () => {
    expect([...FORBIDDEN_TEAMSPACE_LEGACY_KEYS].sort()).toEqual([
      'feature_number',
      'feature_slug',
      'mission_key',
    ]);
    expect(() => assertNoForbiddenLegacyKeys({ a: [{ b: { mission_key: 1 } }], feature_slug: 'x' })).toThrow(
      new ModelValidationError(
        'Forbidden TeamSpace legacy keys in tracker payload: feature_slug, mission_key',
      ),
    );
    expect(() => assertNoForbiddenLegacyKeys({ a: ['mission_key'] })).not.toThrow();
  });
});

describe('DecisionReference', () => {
  it('defaults blocking to true and serialises snake_case, external_ref only when set', () => {
    const plain = createDecisionReference({ decisionId: 'D-1' });
    expect(decisionReferenceToJSON(plain)).toEqual({
      decision_id: 'D-1',
      summary: null,
      blocking: true,
      url: null,
    });
    const withRef = createDecisionReference({ decisionId: 'D-2', externalRef: decisionRef, blocking: false });
    expect(decisionReferenceToJSON(withRef)).toEqual({
      decision_id: 'D-2',
      summary: null,
      blocking: false,
      url: null,
      external_ref: { system: 'jira', workspace: 'w', id: 'DEC-1', key: null, url: null },
    });
  });
});

describe('missionSeedFromIssue', () => {
  const base = issue('10001', {
    ref: createRef({ system: 'jira', workspace: 'https://test.atlassian.net', id: '10001' }),
  });

  it('defaults the mission id to mission:<identity> and copies content', () => {
    const seed = missionSeedFromIssue(cloneIssue(base, { assignees: ['a'], labels: ['l'], priority: 2 }));
    expect(seed).toMatchObject({
      missionId: 'mission:jira:https://test.atlassian.net:10001',
      title: base.title,
      priority: 2,
      assignees: ['a'],
      labels: ['l'],
      decisionReferences: [],
    });
    expect(missionSeedFromIssue(base, { missionId: 'm-1' }).missionId).toBe('m-1');
    expect(missionSeedFromIssue(base, { missionId: '' }).missionId).toBe(
      'mission:jira:https://test.atlassian.net:10001',
    );
    expect(Object.keys(seed)).not.toContain('featureSlug');
  });

  it('parses decision_refs strictly, with the quirks of str() and bool()', () => {
    const seed = missionSeedFromIssue(
      cloneIssue(base, {
        customFields: {
          decision_refs: [
            {
              decision_id: ' D-1 ',
              summary: 7,
              blocking: 0,
              external_ref: { system: 'jira', workspace: 'w', id: 'X' },
            },
            { decision_id: null, external_ref: 'not-an-object' },
          ],
        },
      }),
    );
    expect(seed.decisionReferences).toEqual([
      {
        decisionId: 'D-1',
        summary: '7',
        blocking: false,
        url: null,
        externalRef: createRef({ system: 'jira', workspace: 'w', id: 'X' }),
      },
      { decisionId: 'None', summary: null, blocking: true, url: null, externalRef: null },
    ]);
  });

  it.each([
    [{ decision_refs: 'x' }, 'custom_fields.decision_refs must be a list', 'decision_refs', 'DR-001'],
    [
      { decision_refs: [{ decision_id: 'a' }, 3] },
      'decision_refs entry must be an object',
      'decision_refs[1]',
      'DR-001',
    ],
    [
      { decision_refs: [{ decision_id: '  ' }] },
      'decision_refs entry missing a non-empty decision_id',
      'decision_refs[0].decision_id',
      'DR-001',
    ],
    [
      { decision_refs: [{ decision_id: 'a', external_ref: { system: 'jira', workspace: '', id: '1' } }] },
      'decision_refs entry has an invalid external_ref: ExternalRef.workspace must not be empty',
      'decision_refs[0].external_ref',
      'DR-002',
    ],
  ])('raises DecisionReferenceContractError for %j', (customFields, message, fieldPath, reason) => {
    let caught: unknown;
    try {
      missionSeedFromIssue(cloneIssue(base, { customFields }));
    } catch (error) {
      caught = error;
    }
    expect(DecisionReferenceContractError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ message, fieldPath, reason, kind: 'mission', provider: null });
  });

  it('createMissionSeed validates the status', () => {
    expect(() =>
      createMissionSeed({ missionId: 'm', sourceIssueRef: ref('A'), title: 't', status: 'nope' as never }),
    ).toThrow(ModelValidationError);
  });
});

describe('renderMissionComment', () => {
  it('renders the stable, parseable lines and skips empty ones', () => {
    const update = createMissionUpdate({
      missionId: 'm-1',
      missionState: 'implementing',
      summary: 'line one\r\nline two\u2028three\n',
      missionUrl: 'https://m/1',
      decisionReferences: [{ decisionId: 'D-1' }, { decisionId: 'D-2' }],
    });
    expect(renderMissionComment(update)).toBe(
      'Spec Kitty mission update: m-1\nState: implementing\nSummary: line one line two three\nMission: https://m/1\nDecision refs: D-1, D-2',
    );
    expect(
      renderMissionComment(
        createMissionUpdate({ missionId: 'm', missionState: 's', summary: '', missionUrl: '' }),
      ),
    ).toBe('Spec Kitty mission update: m\nState: s');
  });

  it('formats tracker_sync_pushed_at like Python isoformat()', () => {
    expect(pythonIsoFormat(new Date('2026-11-23T21:49:44.458Z'))).toBe('2026-11-23T21:49:44.458000+00:00');
    expect(pythonIsoFormat(new Date('2026-11-23T21:49:44.000Z'))).toBe('2026-11-23T21:49:44+00:00');
  });
});

describe('BidirectionalIssueSync', () => {
  const now = () => new Date('2026-11-23T21:49:44.458Z');
  const update = createMissionUpdate({
    missionId: 'm-1',
    missionState: 'planning',
    targetStatus: 'in_progress',
    summary: 'not persisted',
    missionUrl: 'https://m/1',
    decisionReferences: [
      { decisionId: 'D-1', externalRef: decisionRef },
      {
        decisionId: 'D-2',
        blocking: false,
        externalRef: createRef({ system: 'jira', workspace: 'w', id: 'DEC-2' }),
      },
      { decisionId: 'D-3' },
    ],
  });

  it('publishes the payload, BLOCKED_BY links for blocking refs and the backlink comment', async () => {
    const tracker = counting(new FakeTracker());
    tracker.seed(issue('A', { customFields: { existing: 1 } }));
    const bridge = new BidirectionalIssueSync({ connector: tracker, now });
    const keys: (string | undefined)[] = [];
    const updateIssue = tracker.updateIssue.bind(tracker);
    tracker.updateIssue = async (r, patch, options) => {
      keys.push(options?.idempotencyKey);
      return updateIssue(r, patch, options);
    };
    const returned = await bridge.publishMissionUpdate({ issueRef: ref('A'), update });
    expect(keys).toEqual(['mission-update:m-1:memory:demo:A']);
    expect(returned.status).toBe('in_progress');
    const payload = returned.customFields.spec_kitty_mission;
    expect(payload).toEqual(missionPayload(update, now()));
    expect(Object.keys(payload as object)).toEqual([
      'mission_id',
      'mission_state',
      'mission_url',
      'tracker_sync_pushed_at',
      'decision_refs',
    ]);
    expect(returned.customFields.existing).toBe(1);
    const stored = tracker.issues.get('memory:demo:A');
    expect(stored?.links).toEqual([createLink({ type: LinkType.BLOCKED_BY, target: decisionRef })]);
    expect(stored?.customFields.comments).toEqual([renderMissionComment(update)]);
    expect(decisionLinkMismatches(stored ?? returned, update)).toEqual([]);
  });

  it('refuses legacy keys anywhere in the custom fields before any write', async () => {
    const tracker = counting(new FakeTracker());
    tracker.seed(issue('A', { customFields: { old: { feature_number: 1 } } }));
    const bridge = new BidirectionalIssueSync({ connector: tracker, now });
    await expect(bridge.publishMissionUpdate({ issueRef: ref('A'), update })).rejects.toThrow(
      'Forbidden TeamSpace legacy keys in tracker payload: feature_number',
    );
    expect(tracker.writes()).toBe(0);
  });

  it('defers a status refusal until links and comment are written, then throws it', async () => {
    const tracker = counting(new FakeTracker());
    tracker.seed(issue('A'));
    const refusal = new CapabilityNotSupportedError('cannot move to in_progress', { capability: 'status' });
    tracker.updateIssue = async () => {
      throw refusal;
    };
    const bridge = new BidirectionalIssueSync({ connector: tracker, now });
    await expect(bridge.publishMissionUpdate({ issueRef: ref('A'), update })).rejects.toBe(refusal);
    expect(tracker.calls.upsertLink).toBe(1);
    expect(tracker.calls.addComment).toBe(1);
  });

  it('re-raises any other capability refusal at once, and skips the comment without comment support', async () => {
    const tracker = counting(new FakeTracker());
    tracker.seed(issue('A'));
    tracker.updateIssue = async () => {
      throw new CapabilityNotSupportedError('no custom fields', { capability: 'custom_fields' });
    };
    const bridge = new BidirectionalIssueSync({ connector: tracker, now });
    await expect(bridge.publishMissionUpdate({ issueRef: ref('A'), update })).rejects.toThrow(
      'no custom fields',
    );
    expect(tracker.calls.upsertLink).toBeUndefined();

    const quiet = counting(new FakeTracker({ capabilities: { supportsComments: false } }));
    quiet.seed(issue('A'));
    await new BidirectionalIssueSync({ connector: quiet, now }).publishMissionUpdate({
      issueRef: ref('A'),
      update,
    });
    expect(quiet.calls.addComment).toBeUndefined();
  });

  it('missionFromIssue reads the issue and seeds from it', async () => {
    const tracker = new FakeTracker();
    tracker.seed(issue('A'));
    const seed = await new BidirectionalIssueSync({ connector: tracker }).missionFromIssue(ref('A'));
    expect(seed.missionId).toBe('mission:memory:demo:A');
  });
});

describe('decisionLinkMismatches', () => {
  const update = createMissionUpdate({
    missionId: 'm',
    missionState: 's',
    decisionReferences: [
      { decisionId: 'D-1', externalRef: decisionRef },
      { decisionId: 'D-2', summary: 'new' },
    ],
  });

  it('reports DR-003, DR-004 and DR-005 in that order, without mutating the issue', () => {
    const published: Record<string, JsonValue> = {
      spec_kitty_mission: {
        decision_refs: [
          { decision_id: 'D-2', summary: 'old', blocking: true, url: null },
          { decision_id: 'D-9' },
          'junk',
        ],
      },
    };
    const target = issue('A', { customFields: published });
    const snapshot = JSON.stringify(target);
    const errors = decisionLinkMismatches(target, update);
    expect(errors.map((error) => [error.reason, error.fieldPath, error.message])).toEqual([
      [
        'DR-003',
        'spec_kitty_mission.decision_refs',
        "Published decision_refs set does not match the mission's decision_references set",
      ],
      [
        'DR-004',
        'decision_refs[D-1]',
        "Blocking decision reference 'D-1' has no corresponding BLOCKED_BY link on the issue",
      ],
      [
        'DR-005',
        'spec_kitty_mission.decision_refs[D-2]',
        "Published decision reference 'D-2' no longer matches the mission's entry",
      ],
    ]);
    expect(errors.every((error) => error.kind === 'mission' && error.provider === null)).toBe(true);
    expect(JSON.stringify(target)).toBe(snapshot);
  });

  it('is empty for a consistent issue', () => {
    const consistent = issue('A', {
      links: [createLink({ type: LinkType.BLOCKED_BY, target: decisionRef })],
      customFields: {
        spec_kitty_mission: { decision_refs: update.decisionReferences.map(decisionReferenceToJSON) },
      },
    });
    expect(decisionLinkMismatches(consistent, update)).toEqual([]);
  });
});
