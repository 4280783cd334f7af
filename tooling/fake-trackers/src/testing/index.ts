export {
  addLocalLinks,
  countWrites,
  draftWithLinks,
  expectQuietSyncs,
  linkPairs,
  sharedOwnership,
  storedIssue,
} from './links-round-trip';
export { closeCheckingViolations, type TrackedFake, useFakes } from './use-fakes';
