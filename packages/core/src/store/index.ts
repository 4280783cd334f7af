// @spec-kitty/core/store — helpers for authors of durable stores. Node-only (it hashes with
// `node:crypto`), which is why it is a subpath and not part of the runtime-neutral root.
// Importing it has no side effects.

export { contentKey } from './content-key';
export {
  decodeInboxEvents,
  type EncodedInboxDelivery,
  encodeInboxDelivery,
  encodeInboxEvents,
  type TrackerEventJSON,
  trackerEventFromJSON,
  trackerEventToJSON,
  unreadableDeliveryReason,
} from './inbox-event-json';
export { type InboxStateGroup, inboxStatsFromGroups } from './inbox-stats';
