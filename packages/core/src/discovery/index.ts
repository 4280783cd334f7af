// Hosted discovery: types, entry points, result validation, connectorParams → hosted params.
export {
  createDiscoveryHttpClient,
  type DiscoveryOptions,
  discoverResources,
  discoverWorkspaces,
  HOSTED_DISCOVERY_BASE_URLS,
} from './discover';
export type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from './discovery-types';
export {
  validateResource,
  validateResourceResult,
  validateWorkspace,
  validateWorkspaceResult,
} from './discovery-validation';
export { connectorParamsToHostedParams, REQUIRED_CONNECTOR_PARAMS } from './hosted-params';
