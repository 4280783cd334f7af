import { CanonicalStatus, CapabilityNotSupportedError, STATUS_TRANSITION_CAPABILITY } from '@spec-kitty/core';
import type { LinearWorkflowState } from './linear-api-schemas';
import { stateToStatus } from './linear-mapping';

/** The Linear workflow-state type each canonical status lives in. */
export const STATUS_STATE_TYPE: Readonly<Record<CanonicalStatus, string>> = {
  [CanonicalStatus.TODO]: 'unstarted',
  [CanonicalStatus.IN_PROGRESS]: 'started',
  [CanonicalStatus.IN_REVIEW]: 'started',
  [CanonicalStatus.BLOCKED]: 'started',
  [CanonicalStatus.DONE]: 'completed',
  [CanonicalStatus.CANCELED]: 'canceled',
};

export type StatusMapping = Readonly<Partial<Record<CanonicalStatus, string>>>;

/** The workflow states that could carry `target`: right type, and reading back as `target`. */
export function candidateStates(
  target: CanonicalStatus,
  states: readonly LinearWorkflowState[],
): LinearWorkflowState[] {
  const type = STATUS_STATE_TYPE[target];
  return states.filter((state) => state.type.toLowerCase() === type && stateToStatus(state) === target);
}

/**
 * The state id to write for `target`: the configured mapping, else the team's only workflow
 * state of the matching type (that also reads back as `target`). Never guesses: no candidate or
 * several candidates is an error naming `statusToStateId.<status>` and the team's states.
 * (The original silently skipped unmapped statuses on update, and Beads once picked the first
 * state of a type, clobbering workflows.)
 */
export function resolveStateId(
  target: CanonicalStatus,
  mapping: StatusMapping,
  states: readonly LinearWorkflowState[] | null,
): string {
  const configured = mapping[target];
  if (configured !== undefined) return configured;
  const candidates = states ? candidateStates(target, states) : [];
  const only = candidates[0];
  if (candidates.length === 1 && only) return only.id;
  throw unresolvedStatusError(target, candidates, states ?? []);
}

export function unresolvedStatusError(
  target: CanonicalStatus,
  candidates: readonly LinearWorkflowState[],
  states: readonly LinearWorkflowState[],
): CapabilityNotSupportedError {
  const type = STATUS_STATE_TYPE[target];
  const why =
    candidates.length === 0
      ? `the team has no workflow state of type "${type}" that reads back as ${target}`
      : `the team has ${candidates.length} workflow states of type "${type}" that read back as ${target} ` +
        `(${candidates.map((s) => s.name).join(', ')}), and the connector does not guess`;
  const available = states.map((s) => `${s.name} [${s.type}] = ${s.id}`).join('; ');
  return new CapabilityNotSupportedError(
    `Linear status mapping missing for ${target}: ${why}. Provide statusToStateId.${target} ` +
      `in the Linear connector config (status_to_state_id in LinearConnectorConfig)` +
      (available ? `; the team's workflow states are: ${available}.` : '.'),
    { capability: STATUS_TRANSITION_CAPABILITY },
  );
}
