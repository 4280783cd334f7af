// Hosted discovery: types, entry points, result validation, connectorParams → hosted params.
export {
  createDiscoveryHttpClient,
  type DiscoveryOptions,
  discoverResources,
  discoverWorkspaces,
} from './discover';
export type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from './discovery-types';
export {
  validateResource,
  validateResourceResult,
  validateWorkspace,
  validateWorkspaceResult,
} from './discovery-validation';
export { connectorParamsToHostedParams } from './hosted-params';
