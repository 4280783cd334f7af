import {
  CanonicalIssueType,
  CanonicalStatus,
  connectorParamsToHostedParams,
  createHostedConnector,
  createIssue,
  createNangoConnectionContext,
  createRef,
  discoverResources,
  discoverWorkspaces,
} from '@spec-kitty/core';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { createFakeNangoProxy, type FakeNangoProxy } from '@spec-kitty/fake-trackers/nango';
import { afterEach, describe, expect, it } from 'vitest';
import './index';
import { JiraConnector } from './jira-connector';

const SECRET = 'nango-secret-key-xyz';
const OAUTH = 'atlassian-oauth-access-token';

let jira: JiraFake | null = null;
let nango: FakeNangoProxy | null = null;
afterEach(async () => {
  try {
    jira?.assertNoViolations();
  } finally {
    await nango?.close();
    await jira?.close();
    jira = null;
    nango = null;
  }
});

describe('hosted Jira through the Nango proxy', () => {
  it('discovers a site and a project, then syncs issues through /ex/jira/{cloudId}', async () => {
    jira = await new JiraFake({ oauthToken: OAUTH }).start();
    nango = await createFakeNangoProxy({
      secretKey: SECRET,
      connections: [
        {
          connectionId: 'conn-1',
          providerConfigKey: 'jira',
          credentials: { authorization: `Bearer ${OAUTH}` },
        },
      ],
      upstreams: { jira: jira.url },
    }).start();
    const nangoContext = createNangoConnectionContext({
      connectionId: 'conn-1',
      providerConfigKey: 'jira',
      nangoSecretKey: SECRET,
      nangoBaseUrl: nango.url,
    });

    const workspaces = await discoverWorkspaces('jira', nangoContext);
    expect(workspaces.items.map((workspace) => workspace.id)).toEqual(['cloud-1']);
    const resources = await discoverResources('jira', workspaces.items[0]!, nangoContext);
    const project = resources.items[0]!;
    expect(project.connectorParams).toEqual({
      project_key: 'PROJ',
      cloud_id: 'cloud-1',
      base_url: 'https://api.atlassian.com/ex/jira/cloud-1',
    });

    const params = connectorParamsToHostedParams('jira', project.connectorParams);
    const connector = createHostedConnector({ provider: 'jira', nangoContext, params });
    expect(connector).toBeInstanceOf(JiraConnector);

    const created = await connector.createIssue(
      createIssue({
        ref: createRef({ system: 'local', workspace: 'repo', id: 'h-1' }),
        title: 'Hosted issue',
        body: 'Made *through* Nango',
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
      }),
    );
    expect(created.ref).toMatchObject({
      workspace: 'https://api.atlassian.com/ex/jira/cloud-1',
      key: 'PROJ-1',
      url: 'https://api.atlassian.com/ex/jira/cloud-1/browse/PROJ-1',
    });
    const moved = await connector.transitionIssue(created.ref, CanonicalStatus.IN_PROGRESS);
    expect(moved.status).toBe('in_progress');
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    expect(page.items.map((issue) => issue.body)).toEqual(['Made *through* Nango']);

    // Every vendor call went through the proxy under /ex/jira/cloud-1 with the OAuth token Nango
    // injected; the Nango secret never reached Jira.
    const vendorCalls = nango.forwarded.filter((request) => request.url.includes('/rest/api/3/'));
    expect(vendorCalls.length).toBeGreaterThan(0);
    for (const request of vendorCalls) {
      expect(request.url).toContain('/ex/jira/cloud-1/rest/api/3/');
      expect(request.headers.authorization).toBe(`Bearer ${OAUTH}`);
      expect(JSON.stringify(request.headers)).not.toContain(SECRET);
    }
    expect(nango.rejections).toEqual([]);
  });
});
