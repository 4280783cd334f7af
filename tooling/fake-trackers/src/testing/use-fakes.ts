// One teardown for every fake: the testkit's public `useFakeServers`, under the name the
// first-party tests use.
export {
  closeCheckingViolations,
  type TrackedFake,
  useFakeServers as useFakes,
} from '@spec-kitty/connector-testkit';
