// Test-only helpers (not exported from the package index).
import { createIssue, createRef } from '@spec-kitty/core';
import { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { DEFAULT_OVERLAP_MS, type LinearConnectorConfig } from './linear-config';
import { LinearConnector } from './linear-connector';

export const API_KEY = 'lin_api_secret_test_key_123';

export async function startFake(): Promise<LinearFake> {
  return new LinearFake({ apiKeys: [API_KEY] }).start();
}

export function connectorFor(
  fake: LinearFake,
  overrides: Partial<LinearConnectorConfig> = {},
): LinearConnector {
  return new LinearConnector({
    apiKey: API_KEY,
    teamId: fake.state.defaultTeam.id,
    workspace: 'linear',
    graphqlUrl: fake.graphqlUrl,
    statusToStateId: {},
    overlapMs: DEFAULT_OVERLAP_MS,
    ...overrides,
  });
}

export function localIssue(id: string, init: Partial<Parameters<typeof createIssue>[0]> = {}) {
  return createIssue({
    ref: createRef({ system: 'memory', workspace: 'local', id }),
    title: `Local ${id}`,
    status: 'todo',
    issueType: 'task',
    ...init,
  });
}
