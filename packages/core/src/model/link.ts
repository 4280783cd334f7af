import { ModelValidationError } from '../errors/errors';
import { isLinkType, type LinkType } from './enums';
import { createRef, type ExternalRef } from './external-ref';

/** A typed link from one issue to another. */
export interface CanonicalLink {
  /** The link type. */
  readonly type: LinkType;
  /** The linked issue. */
  readonly target: ExternalRef;
}

/** Marks links `createLink` built, so they are shared instead of rebuilt. */
const VALID_LINK = Symbol.for('spec-kitty.valid-link');

/** Validates and freezes; a link this function already built is returned as is. */
export function createLink(init: { type: LinkType; target: ExternalRef }): CanonicalLink {
  if (Object.hasOwn(init, VALID_LINK)) return init as CanonicalLink;
  if (!isLinkType(init.type))
    throw new ModelValidationError(`CanonicalLink.type is not a LinkType: ${String(init.type)}`);
  const link = { type: init.type, target: createRef(init.target) };
  Object.defineProperty(link, VALID_LINK, { value: true });
  return Object.freeze(link);
}
