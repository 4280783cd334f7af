/**
 * JSON Patch writes to a work item as the service applies them: `test /rev`, field operations with
 * read-only and identity rules, relation adds (hyperlinks and work item links, whose reverse end
 * is written on the target) and removes, then the work item rules (title, state, priority).
 */
import type { FakeRequest } from '../server/fake-server';
import { azureWorkItemBefore, azureWorkItemSaved } from '../webhooks/azure-webhook-deliveries';
import { type AzureRouteContext, itemUrl } from './azure-route-context';
import type { AzureRelation, AzureWorkItem } from './azure-state';

/** A rejected patch: the status and message the service answers with. */
export class PatchError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly typeKey = 'WorkItemTrackingException',
  ) {
    super(message);
  }
}

const READ_ONLY_FIELDS = new Set([
  'System.Id',
  'System.Rev',
  'System.CreatedDate',
  'System.ChangedDate',
  'System.CreatedBy',
  'System.ChangedBy',
  'System.TeamProject',
  'System.WorkItemType',
  'System.CommentCount',
]);

/** Writable identity fields (reference name → display name used in rule errors). */
const IDENTITY_FIELDS = new Map([['System.AssignedTo', 'Assigned To']]);

const REVERSE_REL: Record<string, string> = {
  'System.LinkTypes.Hierarchy-Forward': 'System.LinkTypes.Hierarchy-Reverse',
  'System.LinkTypes.Hierarchy-Reverse': 'System.LinkTypes.Hierarchy-Forward',
  'System.LinkTypes.Dependency-Forward': 'System.LinkTypes.Dependency-Reverse',
  'System.LinkTypes.Dependency-Reverse': 'System.LinkTypes.Dependency-Forward',
  'System.LinkTypes.Duplicate-Forward': 'System.LinkTypes.Duplicate-Reverse',
  'System.LinkTypes.Duplicate-Reverse': 'System.LinkTypes.Duplicate-Forward',
  'System.LinkTypes.Related': 'System.LinkTypes.Related',
};

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

interface RelationValue {
  rel?: unknown;
  url?: unknown;
  attributes?: unknown;
}

/** A patched copy of the work item plus the work item links added and removed (for their other ends). */
export interface PatchResult {
  item: AzureWorkItem;
  added: AzureRelation[];
  removed: AzureRelation[];
}

/** The work item a relation URL points at, if this fake holds it. */
export function relationTarget(context: AzureRouteContext, url: string): AzureWorkItem | undefined {
  const match = /\/_apis\/wit\/workItems\/(\d+)$/i.exec(url);
  return match ? context.state.workItems.get(Number(match[1])) : undefined;
}

function testRev(context: AzureRouteContext, item: AzureWorkItem, op: PatchOp): void {
  if (op.op !== 'test')
    throw new PatchError(400, `TF401326: Invalid field status 'ReadOnly' for field 'System.Rev'.`);
  if (Number(op.value) !== item.rev) {
    throw new PatchError(
      context.options.testFailureStatus ?? 412,
      `TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes. (test /rev expected ${String(op.value)}, current ${item.rev})`,
      'WorkItemRevisionMismatchException',
    );
  }
}

/** An identity field stores the resolved user (read back as an IdentityRef); '' resets it. */
function setIdentity(context: AzureRouteContext, item: AzureWorkItem, field: string, value: unknown): void {
  if (value === '' || value === null) {
    delete item.fields[field];
    return;
  }
  const identity = context.state.resolveIdentity(value);
  if (!identity)
    throw new PatchError(
      400,
      `TF401320: Rule Error for field ${IDENTITY_FIELDS.get(field)}. Error code: ValidIdentity. The identity value '${typeof value === 'string' ? value : JSON.stringify(value)}' for field '${IDENTITY_FIELDS.get(field)}' is an unknown identity.`,
      'RuleValidationException',
    );
  item.fields[field] = { ...identity };
}

function applyFieldOp(context: AzureRouteContext, item: AzureWorkItem, op: PatchOp, creating: boolean): void {
  const field = op.path.slice('/fields/'.length);
  if (op.op === 'test') {
    if (JSON.stringify(item.fields[field]) !== JSON.stringify(op.value))
      throw new PatchError(
        context.options.testFailureStatus ?? 412,
        `Test operation failed for field '${field}'.`,
      );
    return;
  }
  if (READ_ONLY_FIELDS.has(field) && !(creating && field === 'System.CreatedDate'))
    throw new PatchError(400, `TF401326: Invalid field status 'ReadOnly' for field '${field}'.`);
  if (IDENTITY_FIELDS.has(field) && (op.op === 'add' || op.op === 'replace')) {
    setIdentity(context, item, field, op.value);
    return;
  }
  if (op.op === 'add' || op.op === 'replace') item.fields[field] = op.value;
  else if (op.op === 'remove') delete item.fields[field];
  else throw new PatchError(400, `The operation '${op.op}' is not supported on '${op.path}'.`);
}

/** A plain hyperlink: any absolute URL, one end only. */
function addHyperlink(item: AzureWorkItem, url: string, value: RelationValue | undefined): void {
  if (!/^https?:\/\/\S+$/i.test(url))
    throw new PatchError(400, `TF237124: The hyperlink '${url}' is not a valid URL.`);
  if (item.relations.some((relation) => relation.rel === 'Hyperlink' && relation.url === url)) {
    throw new PatchError(
      400,
      `TF201035: The hyperlink '${url}' already exists.`,
      'WorkItemLinkAlreadyExistsException',
    );
  }
  item.relations.push({
    rel: 'Hyperlink',
    url,
    attributes: { isLocked: false, name: 'Hyperlink', ...(value?.attributes as object | undefined) },
  });
}

/** Rejects a work item link the service would refuse; returns its target. */
function checkWorkItemLink(
  context: AzureRouteContext,
  item: AzureWorkItem,
  rel: string,
  url: string,
): AzureWorkItem {
  if (!REVERSE_REL[rel])
    throw new PatchError(
      400,
      `TF201063: The link type '${rel}' is not supported by this fake or does not exist.`,
    );
  const target = relationTarget(context, url);
  if (!target)
    throw new PatchError(
      400,
      `TF201036: The work item link target '${url}' does not exist or is not a work item URL.`,
    );
  if (target.id === item.id) throw new PatchError(400, 'TF201041: A work item cannot be linked to itself.');
  if (
    item.relations.some(
      (relation) => relation.rel === rel && relation.url.toLowerCase() === url.toLowerCase(),
    )
  ) {
    throw new PatchError(
      400,
      `TF201035: The link of type '${rel}' to work item ${target.id} already exists.`,
      'WorkItemLinkAlreadyExistsException',
    );
  }
  if (
    rel === 'System.LinkTypes.Hierarchy-Reverse' &&
    item.relations.some((relation) => relation.rel === rel)
  ) {
    throw new PatchError(
      400,
      `TF201036: You cannot add a Parent link to work item ${target.id} because work item ${item.id} already has a parent.`,
    );
  }
  return target;
}

function addRelation(
  context: AzureRouteContext,
  request: FakeRequest,
  item: AzureWorkItem,
  op: PatchOp,
  added: AzureRelation[],
): void {
  const value = op.value as RelationValue | undefined;
  const rel = String(value?.rel ?? '');
  const url = String(value?.url ?? '');
  if (rel === 'Hyperlink') {
    addHyperlink(item, url, value);
    return;
  }
  const target = checkWorkItemLink(context, item, rel, url);
  const relation = {
    rel,
    url: itemUrl(context, request, target.id),
    attributes: {
      isLocked: false,
      name: rel.split('.').pop() ?? rel,
      ...(value?.attributes as object | undefined),
    },
  };
  item.relations.push(relation);
  added.push(relation);
}

/** The work item rules checked after the operations: a title, a state of the type, priority 1..4. */
function checkRules(context: AzureRouteContext, original: AzureWorkItem, item: AzureWorkItem): void {
  const title = item.fields['System.Title'];
  if (typeof title !== 'string' || title.trim() === '')
    throw new PatchError(
      400,
      'TF401320: Rule Error for field Title. Error code: Required, InvalidEmpty.',
      'RuleValidationException',
    );
  const type = String(item.fields['System.WorkItemType']);
  const allowed = context.state.states[type] ?? [];
  const stateValue = item.fields['System.State'];
  if (!allowed.includes(String(stateValue))) {
    throw new PatchError(
      400,
      `TF401320: Rule Error for field State. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidEmpty. Allowed values for ${type}: ${allowed.join(', ')}; got '${String(stateValue)}'.`,
      'RuleValidationException',
    );
  }
  const priority = item.fields['Microsoft.VSTS.Common.Priority'];
  if (
    priority !== undefined &&
    !(Number.isInteger(priority) && (priority as number) >= 1 && (priority as number) <= 4)
  ) {
    throw new PatchError(
      400,
      `TF401320: Rule Error for field Priority. Error code: LimitedToValues. Allowed values: 1, 2, 3, 4; got '${String(priority)}'.`,
      'RuleValidationException',
    );
  }
  if (stateValue !== original.fields['System.State'])
    item.fields['System.Reason'] = `Moved to state ${String(stateValue)}`;
}

/** Applies JSON Patch `ops` to a copy of `original`; throws `PatchError` as the service would answer. */
export function applyPatch(
  context: AzureRouteContext,
  request: FakeRequest,
  original: AzureWorkItem,
  ops: unknown[],
  creating: boolean,
): PatchResult {
  const item: AzureWorkItem = {
    ...original,
    fields: { ...original.fields },
    relations: original.relations.map((relation) => ({ ...relation })),
  };
  const added: AzureRelation[] = [];
  const removed: AzureRelation[] = [];
  for (const raw of ops) {
    const op = raw as PatchOp;
    const path = op.path;
    const relationIndex = /^\/relations\/(\d+)$/.exec(path);
    if (path === '/rev' || path === '/fields/System.Rev') testRev(context, item, op);
    else if (path.startsWith('/fields/')) applyFieldOp(context, item, op, creating);
    else if (path === '/relations/-' && op.op === 'add') addRelation(context, request, item, op, added);
    else if (relationIndex && op.op === 'remove') {
      const index = Number(relationIndex[1]);
      const [gone] = item.relations.splice(index, 1);
      if (!gone) throw new PatchError(400, `Relation index ${index} is out of range.`);
      removed.push(gone);
    } else throw new PatchError(400, `The path '${path}' with operation '${op.op}' is not supported.`);
  }
  checkRules(context, original, item);
  return { item, added, removed };
}

/** Stores a patched work item (a new revision) and writes the other end of each added or removed link. */
export function commitPatch(
  context: AzureRouteContext,
  request: FakeRequest,
  result: PatchResult,
  creating: boolean,
): AzureWorkItem {
  const { state } = context;
  const stamp = state.tick();
  const item = result.item;
  if (!creating) item.rev += 1;
  item.fields['System.ChangedDate'] = stamp;
  item.fields['System.ChangedBy'] = { ...state.currentUser };
  if (creating) item.fields['System.CreatedDate'] ??= stamp;
  const before = creating ? undefined : azureWorkItemBefore(state.workItems.get(item.id));
  const linked = new Map(
    [...result.added, ...result.removed].flatMap((relation) => {
      const target = relationTarget(context, relation.url);
      return target ? [[target, azureWorkItemBefore(target)] as const] : [];
    }),
  );
  state.workItems.set(item.id, item);
  for (const relation of result.added) {
    const target = relationTarget(context, relation.url);
    if (!target) continue;
    target.relations.push({
      rel: REVERSE_REL[relation.rel] ?? relation.rel,
      url: itemUrl(context, request, item.id),
      attributes: { isLocked: false, name: relation.attributes.name },
    });
    target.rev += 1;
    target.fields['System.ChangedDate'] = stamp;
  }
  for (const relation of result.removed) {
    const target = relationTarget(context, relation.url);
    if (!target) continue;
    const reverse = REVERSE_REL[relation.rel];
    target.relations = target.relations.filter(
      (candidate) => !(candidate.rel === reverse && relationTarget(context, candidate.url)?.id === item.id),
    );
    target.rev += 1;
    target.fields['System.ChangedDate'] = stamp;
  }
  azureWorkItemSaved(state.webhooks, state, item, before);
  for (const [target, previous] of linked) azureWorkItemSaved(state.webhooks, state, target, previous);
  return item;
}
