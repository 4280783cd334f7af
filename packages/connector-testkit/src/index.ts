export {
  type ConformanceCheck,
  type ConnectorConformanceOptions,
  type ConnectorUnderTest,
  runConnectorConformance,
} from './connector-conformance';
export {
  type IssueStoreConformanceOptions,
  type IssueStoreUnderTest,
  runIssueStoreConformance,
} from './issue-store-conformance';
