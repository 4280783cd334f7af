import { FakeServer } from '../server/fake-server';
import type { FakeWebhooks } from '../webhooks/fake-webhooks';
import { commentRoutes } from './azure-comment-routes';
import { projectRoutes } from './azure-project-routes';
import { queryRoutes } from './azure-query-routes';
import type { AzureFakeOptions, AzureRouteContext } from './azure-route-context';
import { loadAzureSpecValidator } from './azure-spec';
import { AzureState } from './azure-state';
import { workItemRoutes } from './azure-workitem-routes';

export type { AzureFakeOptions } from './azure-route-context';

/**
 * A stateful fake of the Azure DevOps work item tracking and core (projects) REST APIs, version 7.1.
 * Served paths are `/{organization}/…` on `fake.url` (so the connector's baseUrl is `fake.url`).
 */
export class AzureDevOpsFake extends FakeServer {
  readonly state: AzureState;

  constructor(options: AzureFakeOptions = {}) {
    const state = new AzureState(options);
    const spec = options.validateAgainstSpec === false ? null : loadAzureSpecValidator();
    // The violation list belongs to the server, which exists only after super().
    const sink: string[][] = [];
    const context: AzureRouteContext = { state, spec, options, violations: () => sink[0] ?? [] };
    super({
      name: 'Azure DevOps',
      routes: [
        ...queryRoutes(context),
        ...projectRoutes(context),
        ...workItemRoutes(context),
        ...commentRoutes(context),
      ],
      notFoundBody: { message: 'Page not found.' },
    });
    this.state = state;
    sink.push(this.violations);
    state.webhookBaseUrl = () => this.url;
  }

  /** Service hooks (`subscribe({ url, secret: 'user:password', scope: projectName })`); see `state.webhooks`. */
  get webhooks(): FakeWebhooks {
    return this.state.webhooks;
  }

  /** True when request bodies and parameters are being checked against the official spec. */
  static specAvailable(): boolean {
    return loadAzureSpecValidator() !== null;
  }

  get organizationUrl(): string {
    return `${this.url}/${this.state.organization}`;
  }
}
