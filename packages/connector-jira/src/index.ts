// Importing this module registers the "jira" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import { type JiraConnectorConfigInput, jiraConnectorDefinition } from './jira-definition';

registerConnector(jiraConnectorDefinition);

export { type AdfDocument, type AdfMark, type AdfNode, adfToMarkdown, markdownToAdf } from './jira-adf';
export { JiraConnector, type JiraConnectorConfig, type JiraConnectorOptions } from './jira-connector';
export {
  type JiraConnectorConfigInput,
  type JiraHostedParams,
  type JiraHostedParamsInput,
  jiraConfigSchema,
  jiraConnectorDefinition,
  jiraHostedParamsSchema,
  jiraParamsFromConnectorParams,
} from './jira-definition';
export { discoverJiraResources, discoverJiraWorkspaces } from './jira-discovery';
export { buildIssueSearchJql, JQL_TIME_OVERLAP_MS, jqlString } from './jira-jql';
export { type JiraProjectionContext, projectJiraIssue } from './jira-mapping';
export type { JiraTransition } from './jira-transitions';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    jira: JiraConnectorConfigInput;
  }
}
