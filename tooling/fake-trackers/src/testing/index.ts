export { closeCheckingViolations, type TrackedFake, useFakes } from './use-fakes';
