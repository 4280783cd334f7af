// The fakes are built on the testkit's public fake server, the one third-party authors use.
export {
  type CallRecord,
  type FakeRequest,
  type FakeResponse,
  FakeServer,
  type FakeServerOptions,
  type Fault,
  type FaultRule,
  type RequestValidator,
  type ResponseValidator,
  type RouteDefinition,
  type RouteHandler,
  withFakeServer,
} from '@spec-kitty/connector-testkit/fake-server';
