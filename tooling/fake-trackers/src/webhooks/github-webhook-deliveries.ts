// GitHub repository webhook deliveries, as documented at
// https://docs.github.com/en/webhooks/webhook-events-and-payloads (`issues`, `issue_comment`,
// `sub_issues`) and https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
// (X-GitHub-Event, X-GitHub-Delivery, X-GitHub-Hook-ID, X-Hub-Signature-256 = "sha256=" + hex
// HMAC-SHA256 of the body; X-Hub-Signature the SHA-1 legacy variant). Pull requests get no
// `issues` deliveries (GitHub sends them as `pull_request`, which this fake does not model).
import { createHmac } from 'node:crypto';
import { commentJson, issueJson, labelJson, repoJson, simpleUserJson } from '../github/github-json';
import type {
  FakeCommentRecord,
  FakeIssueRecord,
  FakeRepoRecord,
  GitHubFakeState,
} from '../github/github-state';
import type { FakeWebhooks, WebhookFormat } from './fake-webhooks';
import { hmacSha256HexOf } from './webhook-signatures';

/** GitHub's delivery headers; the signatures are sent only when the hook has a secret. */
export const githubWebhookFormat: WebhookFormat = {
  headers({ event, deliveryId, subscription, body }) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': subscription.id,
      'x-github-hook-installation-target-type': 'repository',
    };
    if (subscription.secret !== '') {
      headers['x-hub-signature'] =
        `sha1=${createHmac('sha1', subscription.secret).update(body, 'utf8').digest('hex')}`;
      headers['x-hub-signature-256'] = `sha256=${hmacSha256HexOf(subscription.secret, body)}`;
    }
    return headers;
  },
};

/** What an issue looked like before an update (for `edited`'s `changes`). */
export interface GitHubIssueBefore {
  readonly title: string;
  readonly body: string | null;
}

/** One `issues` change recorded by the fake (its issue-events vocabulary). */
export interface GitHubIssueChange {
  readonly event: string;
  readonly label?: { name: string };
  readonly assignee?: string;
}

function common(state: GitHubFakeState, repo: FakeRepoRecord): Record<string, unknown> {
  return { repository: repoJson(state, repo), sender: simpleUserJson(state.user(state.viewer)) };
}

/** Sends `issues` with `action` for `issue` (nothing for a pull request). */
export function githubIssuesDelivery(
  hooks: FakeWebhooks,
  state: GitHubFakeState,
  repo: FakeRepoRecord,
  issue: FakeIssueRecord,
  action: string,
  extra: Record<string, unknown> = {},
): void {
  if (!hooks.active || issue.pullRequest) return;
  hooks.emit('issues', () => ({
    action,
    issue: issueJson(state, repo, issue),
    ...extra,
    ...common(state, repo),
  }));
}

/**
 * Sends what GitHub sends after an issue edit: `edited` (title/body, with `changes`), then one
 * delivery per label, assignee and state change, in the order the edit recorded them.
 */
export function githubIssueUpdateDeliveries(
  hooks: FakeWebhooks,
  state: GitHubFakeState,
  repo: FakeRepoRecord,
  issue: FakeIssueRecord,
  before: GitHubIssueBefore,
  changes: readonly GitHubIssueChange[],
): void {
  if (!hooks.active) return;
  const edited: Record<string, unknown> = {};
  if (before.title !== issue.title) edited.title = { from: before.title };
  if (before.body !== issue.body) edited.body = { from: before.body ?? '' };
  if (Object.keys(edited).length > 0)
    githubIssuesDelivery(hooks, state, repo, issue, 'edited', { changes: edited });
  for (const change of changes) {
    if ((change.event === 'labeled' || change.event === 'unlabeled') && change.label) {
      const label = repo.labels.get(change.label.name.toLowerCase());
      githubIssuesDelivery(hooks, state, repo, issue, change.event, {
        label: label ? labelJson(repo, label) : { name: change.label.name },
      });
    } else if ((change.event === 'assigned' || change.event === 'unassigned') && change.assignee) {
      githubIssuesDelivery(hooks, state, repo, issue, change.event, {
        assignee: simpleUserJson(state.user(change.assignee)),
      });
    } else if (change.event === 'closed' || change.event === 'reopened') {
      githubIssuesDelivery(hooks, state, repo, issue, change.event);
    }
  }
}

/** Sends `issue_comment` `created` for `comment` on `issue`. */
export function githubCommentDelivery(
  hooks: FakeWebhooks,
  state: GitHubFakeState,
  repo: FakeRepoRecord,
  issue: FakeIssueRecord,
  comment: FakeCommentRecord,
): void {
  if (!hooks.active) return;
  hooks.emit('issue_comment', () => ({
    action: 'created',
    issue: issueJson(state, repo, issue),
    comment: commentJson(state, repo, issue, comment),
    ...common(state, repo),
  }));
}

/**
 * Sends the two `sub_issues` deliveries GitHub sends when `child` gains or loses parent `parent`
 * (`sub_issue_added`/`parent_issue_added`, or the `_removed` pair), both issues in `repo`.
 */
export function githubSubIssueDeliveries(
  hooks: FakeWebhooks,
  state: GitHubFakeState,
  repo: FakeRepoRecord,
  parent: FakeIssueRecord,
  child: FakeIssueRecord,
  change: 'added' | 'removed',
): void {
  if (!hooks.active) return;
  for (const action of [`sub_issue_${change}`, `parent_issue_${change}`]) {
    hooks.emit('sub_issues', () => ({
      action,
      parent_issue_id: parent.id,
      parent_issue: issueJson(state, repo, parent),
      parent_issue_repo: repoJson(state, repo),
      sub_issue_id: child.id,
      sub_issue: issueJson(state, repo, child),
      sub_issue_repo: repoJson(state, repo),
      ...common(state, repo),
    }));
  }
}

/** Sends `issues` `transferred`: `issue` now lives in `target`; `oldNumber` was its number in `source`. */
export function githubTransferDelivery(
  hooks: FakeWebhooks,
  state: GitHubFakeState,
  source: FakeRepoRecord,
  target: FakeRepoRecord,
  issue: FakeIssueRecord,
  oldNumber: number,
): void {
  githubIssuesDelivery(hooks, state, source, { ...issue, number: oldNumber }, 'transferred', {
    changes: { new_issue: issueJson(state, target, issue), new_repository: repoJson(state, target) },
  });
}
