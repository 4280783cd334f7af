export {
  createFakeNangoProxy,
  type FakeNangoConnection,
  FakeNangoProxy,
  type FakeNangoProxyOptions,
  type ForwardedRequest,
  type NangoRejection,
} from './fake-nango-proxy';
