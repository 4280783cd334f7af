// Importing this module registers the "jira" connector (listed in package.json "sideEffects").
// Curated surface: ADF/JQL/mapping helpers and schemas stay internal (tests import their files).
import { registerConnector } from '@spec-kitty/core';
import type { JiraConnectorConfigInput } from './jira-config';
import { jiraConnectorDefinition } from './jira-definition';

registerConnector(jiraConnectorDefinition);

export type { JiraConnectorConfig, JiraConnectorConfigInput, JiraStatusNameMap } from './jira-config';
export { JiraConnector, type JiraConnectorOptions } from './jira-connector';
export {
  type JiraHostedParams,
  type JiraHostedParamsInput,
  jiraConnectorDefinition,
} from './jira-definition';
export type { JiraTransition } from './jira-transitions';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** `createConnector('jira', config)` takes a `JiraConnectorConfigInput`. */
  interface ConnectorTypes {
    jira: JiraConnectorConfigInput;
  }
}
