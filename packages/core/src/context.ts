import { ModelValidationError } from './errors/errors';
import { isBlank } from './util/python-text';

/** Who is acting, where; local (CLI) connectors hand it to their command runner. */
export interface LocalExecutionContext {
  /** Who runs the local CLI connector (non-empty). */
  readonly actor: string;
  /** The repository it runs in (non-empty). */
  readonly repository: string;
  /** Team, when known. */
  readonly team: string | null;
  /** Mission the run belongs to, when known. */
  readonly missionId: string | null;
  /** Task the run belongs to, when known. */
  readonly taskId: string | null;
}

/** Validates (actor, then repository must be non-empty) and freezes a `LocalExecutionContext`. */
export function createLocalExecutionContext(init: {
  actor: string;
  repository: string;
  team?: string | null;
  missionId?: string | null;
  taskId?: string | null;
}): LocalExecutionContext {
  if (typeof init.actor !== 'string' || isBlank(init.actor)) {
    throw new ModelValidationError('LocalExecutionContext.actor must not be empty');
  }
  if (typeof init.repository !== 'string' || isBlank(init.repository)) {
    throw new ModelValidationError('LocalExecutionContext.repository must not be empty');
  }
  return Object.freeze({
    actor: init.actor,
    repository: init.repository,
    team: init.team ?? null,
    missionId: init.missionId ?? null,
    taskId: init.taskId ?? null,
  });
}
