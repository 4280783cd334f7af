// Test-only: the Jira fake the bulk-read, deletion and live-webhook tests share.
import { JiraFake } from '@spec-kitty/fake-trackers/jira';

export const TEST_EMAIL = 'dev@example.com';
export const TEST_TOKEN = 'secret-api-token-123';
/** The bulk read's endpoint, as the fake logs it. */
export const BULK_FETCH = 'POST /rest/api/3/issue/bulkfetch';

type JiraFakeOptions = NonNullable<ConstructorParameters<typeof JiraFake>[0]>;

/** A Jira fake (not started) with the projects PROJ and OTHER, so issues can move between them. */
export function twoProjectFake(
  options: Omit<JiraFakeOptions, 'email' | 'apiToken' | 'projects'> = {},
): JiraFake {
  return new JiraFake({
    email: TEST_EMAIL,
    apiToken: TEST_TOKEN,
    projects: [
      { id: '10000', key: 'PROJ', name: 'Project' },
      { id: '10001', key: 'OTHER', name: 'Other' },
    ],
    ...options,
  });
}

/** The next bulkfetch answers 200 with `issueId` in `issueErrors` (Jira could not read it now). */
export function failBulkFetchWithIssueErrors(fake: JiraFake, issueId: string): void {
  fake.injectFault({
    endpoint: BULK_FETCH,
    fault: {
      kind: 'status',
      status: 200,
      body: { issues: [], issueErrors: [{ id: issueId, errorMessage: 'Retry later' }] },
    },
  });
}
