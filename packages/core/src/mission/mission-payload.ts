import type { JsonValue } from '../util/json-value';
import { decisionReferenceToJSON } from './decision-reference';
import type { MissionUpdate } from './mission-update';

/** The custom-field key the mission payload is published under; other systems read it. */
export const MISSION_CUSTOM_FIELD = 'spec_kitty_mission';

/** Python `datetime.isoformat()` of an aware UTC instant: `2026-11-23T21:49:44.458000+00:00`. */
export function pythonIsoFormat(date: Date): string {
  const iso = date.toISOString(); // 2026-11-23T21:49:44.458Z
  const seconds = iso.slice(0, 19);
  const millis = date.getUTCMilliseconds();
  // isoformat() omits the fraction when microseconds are zero.
  return millis === 0 ? `${seconds}+00:00` : `${seconds}.${String(millis * 1000).padStart(6, '0')}+00:00`;
}

/**
 * The payload under `customFields.spec_kitty_mission`, snake_case and in the original's key
 * order. `summary` and `targetStatus` are not persisted; `tracker_sync_pushed_at` is egress time.
 */
export function missionPayload(update: MissionUpdate, pushedAt: Date): Record<string, JsonValue> {
  return {
    mission_id: update.missionId,
    mission_state: update.missionState,
    mission_url: update.missionUrl,
    tracker_sync_pushed_at: pythonIsoFormat(pushedAt),
    decision_refs: update.decisionReferences.map(decisionReferenceToJSON),
  };
}

// Python str.splitlines() boundaries.
// biome-ignore lint/suspicious/noControlCharactersInRegex: \x1c-\x1e are Python line boundaries.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

function splitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The backlink comment (the original's `_render_mission_comment`): stable and parseable. */
export function renderMissionComment(update: MissionUpdate): string {
  const lines = [`Spec Kitty mission update: ${update.missionId}`, `State: ${update.missionState}`];
  if (update.summary) lines.push(`Summary: ${splitLines(update.summary).join(' ')}`);
  if (update.missionUrl) lines.push(`Mission: ${update.missionUrl}`);
  const refs = update.decisionReferences.map((ref) => ref.decisionId).join(', ');
  if (refs) lines.push(`Decision refs: ${refs}`);
  return lines.join('\n');
}
