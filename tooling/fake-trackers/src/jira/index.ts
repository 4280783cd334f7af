export { adfText, checkAdfDocument } from './jira-adf-check';
export {
  DEFAULT_JIRA_WORKFLOW,
  JiraFake,
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
  type JiraStatusCategoryKey,
  startJiraFake,
} from './jira-fake';
export { evaluateJql, type JqlClause, JqlError, type JqlNode, type JqlQuery, parseJql } from './jira-jql';
export { JiraSpecValidator } from './jira-spec';
export { formatJiraTimestamp, wallClockToEpoch, zoneOffsetMinutes } from './jira-time';
