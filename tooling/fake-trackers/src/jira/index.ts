export { adfText, checkAdfDocument } from './jira-adf-check';
export { type JiraContractValidator, JiraFake, selectJiraValidator, startJiraFake } from './jira-fake';
export { evaluateJql, type JqlClause, JqlError, type JqlNode, type JqlQuery, parseJql } from './jira-jql';
export { JiraJsSchemaValidator } from './jira-js-schemas';
export { JiraSpecValidator } from './jira-spec';
export {
  DEFAULT_JIRA_WORKFLOW,
  type JiraFakeComment,
  type JiraFakeCustomField,
  type JiraFakeIssue,
  type JiraFakeOptions,
  type JiraFakeProject,
  type JiraFakeSite,
  JiraFakeState,
  type JiraFakeStatus,
  type JiraFakeTransition,
  type JiraFakeWorkflow,
  type JiraSpecSource,
  type JiraStatusCategoryKey,
  LINK_TYPES,
} from './jira-state';
export { formatJiraTimestamp, wallClockToEpoch, zoneOffsetMinutes } from './jira-time';
