import type {
  FakeCommentRecord,
  FakeEventRecord,
  FakeIssueRecord,
  FakeLabelRecord,
  FakeOrgRecord,
  FakeRepoRecord,
  FakeUserRecord,
  GitHubFakeState,
} from './github-state';

/** Response bodies shaped like GitHub's (every property the OpenAPI document requires). */

export const API = 'https://api.github.com';
export const WEB = 'https://github.com';

export function simpleUserJson(user: FakeUserRecord): Record<string, unknown> {
  const api = `${API}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${WEB}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `GET /user` (the public-user shape; a PAT without `user` scope sees this). */
export function authenticatedUserJson(user: FakeUserRecord, publicRepos: number): Record<string, unknown> {
  return {
    ...simpleUserJson(user),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-01T00:00:00Z',
  };
}

export function orgJson(org: FakeOrgRecord): Record<string, unknown> {
  const api = `${API}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: `O_${org.id}`,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
    description: org.description,
  };
}

export function labelJson(repo: FakeRepoRecord, label: FakeLabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: `LA_${label.id}`,
    url: `${API}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

export function repoJson(state: GitHubFakeState, repo: FakeRepoRecord): Record<string, unknown> {
  const owner = state.users.get(repo.owner.toLowerCase()) ?? {
    login: repo.owner,
    id: state.orgs.get(repo.owner.toLowerCase())?.id ?? 1,
    name: null,
    type: repo.ownerType,
  };
  const full = `${repo.owner}/${repo.name}`;
  const api = `${API}/repos/${full}`;
  const openIssues = [...repo.issues.values()].filter((issue) => issue.state === 'open').length;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: full,
    owner: simpleUserJson({ ...owner, type: repo.ownerType }),
    private: repo.private,
    html_url: `${WEB}/${full}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `https://github.com/${full}.git`,
    mirror_url: null,
    svn_url: `https://github.com/${full}`,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: openIssues,
    open_issues_count: openIssues,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: repo.visibility,
    license: null,
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
  };
}

function issueApiUrl(repo: FakeRepoRecord, number: number): string {
  return `${API}/repos/${repo.owner}/${repo.name}/issues/${number}`;
}

/** Counts of the issue's dependencies: `blocked_by`/`blocking` count open issues, `total_*` all. */
function dependencySummary(repo: FakeRepoRecord, issue: FakeIssueRecord): Record<string, number> {
  const open = (numbers: readonly number[]) =>
    numbers.filter((number) => repo.issues.get(number)?.state === 'open').length;
  return {
    blocked_by: open(issue.blockedBy),
    blocking: open(issue.blocking),
    total_blocked_by: issue.blockedBy.length,
    total_blocking: issue.blocking.length,
  };
}

export function issueJson(
  state: GitHubFakeState,
  repo: FakeRepoRecord,
  issue: FakeIssueRecord,
): Record<string, unknown> {
  const api = issueApiUrl(repo, issue.number);
  const full = `${repo.owner}/${repo.name}`;
  const labels = issue.labels.map((name) => {
    const label = repo.labels.get(name.toLowerCase());
    return label ? labelJson(repo, label) : name;
  });
  const assignees = issue.assignees.map((login) => simpleUserJson(state.user(login)));
  const completedChildren = issue.children.filter(
    (number) => repo.issues.get(number)?.state === 'closed',
  ).length;
  const json: Record<string, unknown> = {
    id: issue.id,
    node_id: `I_${issue.id}`,
    url: api,
    repository_url: `${API}/repos/${full}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${WEB}/${full}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: simpleUserJson(state.user(issue.author)),
    labels,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: issue.locked,
    active_lock_reason: null,
    comments: issue.comments.length,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_by: issue.closedBy ? simpleUserJson(state.user(issue.closedBy)) : null,
    author_association: issue.author.toLowerCase() === repo.owner.toLowerCase() ? 'OWNER' : 'COLLABORATOR',
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    type: null,
    sub_issues_summary: {
      total: issue.children.length,
      completed: completedChildren,
      percent_completed:
        issue.children.length === 0 ? 0 : Math.floor((completedChildren * 100) / issue.children.length),
    },
    parent_issue_url: issue.parent === null ? null : issueApiUrl(repo, issue.parent),
    issue_dependencies_summary: dependencySummary(repo, issue),
    reactions: {
      url: `${api}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      confused: 0,
      heart: 0,
      hooray: 0,
      eyes: 0,
      rocket: 0,
    },
  };
  if (issue.pullRequest) {
    json.draft = false;
    json.pull_request = {
      url: `${API}/repos/${full}/pulls/${issue.number}`,
      html_url: `${WEB}/${full}/pull/${issue.number}`,
      diff_url: `${WEB}/${full}/pull/${issue.number}.diff`,
      patch_url: `${WEB}/${full}/pull/${issue.number}.patch`,
      merged_at: null,
    };
  }
  return json;
}

export function commentJson(
  state: GitHubFakeState,
  repo: FakeRepoRecord,
  issue: FakeIssueRecord,
  comment: FakeCommentRecord,
): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${API}/repos/${full}/issues/comments/${comment.id}`,
    html_url: `${WEB}/${full}/issues/${issue.number}#issuecomment-${comment.id}`,
    issue_url: issueApiUrl(repo, issue.number),
    body: comment.body,
    user: simpleUserJson(state.user(comment.author)),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: 'OWNER',
    performed_via_github_app: null,
  };
}

export function eventJson(
  state: GitHubFakeState,
  repo: FakeRepoRecord,
  event: FakeEventRecord,
): Record<string, unknown> {
  const issue = repo.issues.get(event.issueNumber);
  const json: Record<string, unknown> = {
    id: event.id,
    node_id: `IE_${event.id}`,
    url: `${API}/repos/${repo.owner}/${repo.name}/issues/events/${event.id}`,
    actor: simpleUserJson(state.user(event.actor)),
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.createdAt,
    performed_via_github_app: null,
  };
  if (issue) json.issue = issueJson(state, repo, issue);
  if (event.label) json.label = event.label;
  if (event.assignee) {
    json.assignee = simpleUserJson(state.user(event.assignee));
    json.assigner = simpleUserJson(state.user(event.actor));
  }
  if (event.rename) json.rename = event.rename;
  return json;
}
