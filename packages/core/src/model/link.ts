import { ModelValidationError } from '../errors/errors';
import { isLinkType, type LinkType } from './enums';
import { createRef, type ExternalRef } from './external-ref';

export interface CanonicalLink {
  readonly type: LinkType;
  readonly target: ExternalRef;
}

export function createLink(init: { type: LinkType; target: ExternalRef }): CanonicalLink {
  if (!isLinkType(init.type))
    throw new ModelValidationError(`CanonicalLink.type is not a LinkType: ${String(init.type)}`);
  return Object.freeze({ type: init.type, target: createRef(init.target) });
}
