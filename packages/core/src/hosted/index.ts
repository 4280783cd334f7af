// Hosted (Nango) transport and the hosted connector factory.
export {
  assertHostedProvider,
  createHostedConnector,
  type HostedConnectorRequest,
  type HostedProviderSlug,
} from './hosted-connector';
export {
  createNangoConnectionContext,
  DEFAULT_NANGO_BASE_URL,
  NANGO_MANAGED_TOKEN,
  type NangoConnectionContext,
  type NangoConnectionContextInit,
} from './nango-connection-context';
export { createNangoProxyFetch, type NangoProxyFetchOptions } from './nango-proxy-fetch';
