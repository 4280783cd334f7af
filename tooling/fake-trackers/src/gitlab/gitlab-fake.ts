import { FakeServer } from '../server/fake-server';
import type { FakeWebhooks } from '../webhooks/fake-webhooks';
import { discoveryRoutes } from './gitlab-discovery-routes';
import { issueRoutes } from './gitlab-issue-routes';
import { linkRoutes } from './gitlab-link-routes';
import { noteRoutes } from './gitlab-note-routes';
import { GITLAB_API_PREFIX, type GitLabFakeOptions, type GitLabRouteContext } from './gitlab-route-context';
import { GitLabState } from './gitlab-state';
import { validateGitLabRequest } from './gitlab-validation';

/**
 * A stateful fake of the GitLab REST v4 endpoints the connector and discovery use. Serve it and
 * point a client at `fake.apiUrl` (`http://127.0.0.1:<port>/api/v4`).
 */
export class GitLabFake extends FakeServer {
  readonly state: GitLabState;
  readonly #options: GitLabFakeOptions;

  constructor(options: GitLabFakeOptions = {}) {
    const state = new GitLabState(options);
    const settings: GitLabFakeOptions = { ...options };
    const context: GitLabRouteContext = { state, options: () => settings };
    super({
      name: 'GitLab',
      routes: [
        ...issueRoutes(context),
        ...noteRoutes(context),
        ...linkRoutes(context),
        ...discoveryRoutes(context),
      ],
      validateRequest: validateGitLabRequest,
      rejectStatus: 400,
      notFoundBody: { error: '404 Not Found' },
    });
    this.state = state;
    this.#options = settings;
  }

  /** `http://127.0.0.1:<port>/api/v4`. */
  get apiUrl(): string {
    return `${this.url}${GITLAB_API_PREFIX}`;
  }

  /** Project webhooks (`subscribe({ url, secret, scope: projectId })`); see `state.webhooks`. */
  get webhooks(): FakeWebhooks {
    return this.state.webhooks;
  }

  /** Switches pagination headers on/off at runtime. */
  setPaginationHeaders(enabled: boolean): void {
    this.#options.paginationHeaders = enabled;
  }
}
