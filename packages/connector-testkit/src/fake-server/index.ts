// @spec-kitty/connector-testkit/fake-server: loopback vendor fakes without vitest, for test
// helpers, sandboxes and scripts. The root entry re-exports all of it plus `useFakeServers`.
export { FakeServer, startFakeServer, withFakeServer } from './fake-server';
export { FakeServerError } from './fake-server-error';
export { closeCheckingViolations, type TrackedFake } from './fake-server-teardown';
export type {
  CallRecord,
  FakeRequest,
  FakeResponse,
  FakeServerOptions,
  Fault,
  FaultRule,
  RequestValidator,
  ResponseValidator,
  RouteDefinition,
  RouteHandler,
} from './fake-server-types';
