// valibot schemas for the `data` of every Linear response the connector reads. A payload that
// does not match throws `IssuePayloadContractError` with the field path (e.g.
// `issues.nodes[3].state.type`) instead of a TypeError deep inside the mapping.
import * as v from 'valibot';

const pageInfo = v.object({ hasNextPage: v.boolean(), endCursor: v.optional(v.nullable(v.string()), null) });

export const labelNodeSchema = v.object({ name: v.string() });

const issueRefSchema = v.looseObject({
  id: v.string(),
  identifier: v.nullish(v.string(), null),
  url: v.nullish(v.string(), null),
});
const hasNextOnly = v.optional(v.looseObject({ hasNextPage: v.boolean() }), { hasNextPage: false });

/** `Issue.relations`: the issue is the source (`issue blocks relatedIssue`). */
export const outgoingRelationsSchema = v.object({
  nodes: v.array(v.looseObject({ type: v.string(), relatedIssue: issueRefSchema })),
  pageInfo: hasNextOnly,
});
/** `Issue.inverseRelations`: the issue is the target (`issue blocks this one`). */
export const incomingRelationsSchema = v.object({
  nodes: v.array(v.looseObject({ type: v.string(), issue: issueRefSchema })),
  pageInfo: hasNextOnly,
});
export type LinearOutgoingRelations = v.InferOutput<typeof outgoingRelationsSchema>;
export type LinearIncomingRelations = v.InferOutput<typeof incomingRelationsSchema>;

export const issueNodeSchema = v.looseObject({
  id: v.string(),
  identifier: v.nullish(v.string(), null),
  title: v.nullish(v.string(), null),
  description: v.nullish(v.string(), null),
  priority: v.nullish(v.number(), null),
  createdAt: v.nullish(v.string(), null),
  updatedAt: v.nullish(v.string(), null),
  url: v.nullish(v.string(), null),
  state: v.nullish(v.looseObject({ id: v.string(), name: v.string(), type: v.string() }), null),
  labels: v.nullish(
    v.object({
      nodes: v.array(labelNodeSchema),
      pageInfo: v.optional(pageInfo, { hasNextPage: false, endCursor: null }),
    }),
    null,
  ),
  assignee: v.nullish(v.looseObject({ id: v.nullish(v.string(), null) }), null),
  parent: v.nullish(
    v.looseObject({
      id: v.string(),
      identifier: v.nullish(v.string(), null),
      url: v.nullish(v.string(), null),
    }),
    null,
  ),
  relations: v.nullish(outgoingRelationsSchema, null),
  inverseRelations: v.nullish(incomingRelationsSchema, null),
  team: v.optional(v.looseObject({ id: v.string() })),
  // Set when archived (or trashed); only listings with `includeArchived: true` return such issues.
  archivedAt: v.nullish(v.string()),
  // In the trash bin (deleted, restorable for 30 days).
  trashed: v.nullish(v.boolean()),
});
export type LinearIssueNode = v.InferOutput<typeof issueNodeSchema>;

export const listIssuesSchema = v.object({
  issues: v.object({ nodes: v.array(issueNodeSchema), pageInfo }),
});

// Linear answers some lookups of a missing issue with `{"issue": null}` instead of an
// `Entity not found` error; both mean not found.
export const getIssueSchema = v.object({ issue: v.nullable(issueNodeSchema) });

export const getIssuesSchema = v.object({ issues: v.object({ nodes: v.array(issueNodeSchema) }) });

export const checkGoneSchema = v.object({
  issues: v.object({
    nodes: v.array(
      v.looseObject({
        id: v.string(),
        identifier: v.nullish(v.string(), null),
        url: v.nullish(v.string(), null),
        archivedAt: v.nullish(v.string(), null),
        trashed: v.nullish(v.boolean(), null),
        team: v.looseObject({ id: v.string() }),
      }),
    ),
  }),
});
export type LinearGoneNode = v.InferOutput<typeof checkGoneSchema>['issues']['nodes'][number];

export const findCreatedIssueSchema = v.object({ issues: v.object({ nodes: v.array(issueNodeSchema) }) });

export const issueLabelsPageSchema = v.object({
  issue: v.object({ labels: v.object({ nodes: v.array(labelNodeSchema), pageInfo }) }),
});

export const workflowStateSchema = v.object({
  id: v.string(),
  name: v.string(),
  type: v.string(),
  position: v.optional(v.number(), 0),
});
export type LinearWorkflowState = v.InferOutput<typeof workflowStateSchema>;

export const teamStatesSchema = v.object({
  team: v.object({
    id: v.string(),
    key: v.string(),
    states: v.object({ nodes: v.array(workflowStateSchema) }),
  }),
});

export const teamLabelsSchema = v.object({
  issueLabels: v.object({
    nodes: v.array(
      v.object({ id: v.string(), name: v.string(), team: v.nullish(v.object({ id: v.string() }), null) }),
    ),
    pageInfo,
  }),
});

export const createLabelSchema = v.object({
  issueLabelCreate: v.object({
    success: v.boolean(),
    issueLabel: v.object({ id: v.string(), name: v.string() }),
  }),
});

export const createIssueSchema = v.object({
  issueCreate: v.object({ success: v.boolean(), issue: v.nullish(issueNodeSchema, null) }),
});

export const updateIssueSchema = v.object({
  issueUpdate: v.object({ success: v.boolean(), issue: v.nullish(issueNodeSchema, null) }),
});

export const issueRelationsBatchSchema = v.object({
  issues: v.object({
    nodes: v.array(
      v.looseObject({
        id: v.string(),
        relations: outgoingRelationsSchema,
        inverseRelations: incomingRelationsSchema,
      }),
    ),
  }),
});

const relatedRef = v.object({ id: v.string(), identifier: v.nullish(v.string(), null) });

export const issueRelationsSchema = v.object({
  issue: v.nullable(
    v.object({
      id: v.string(),
      identifier: v.nullish(v.string(), null),
      parent: v.nullish(relatedRef, null),
      relations: v.object({
        nodes: v.array(v.object({ type: v.string(), relatedIssue: relatedRef })),
        pageInfo: v.object({ hasNextPage: v.boolean() }),
      }),
      inverseRelations: v.object({
        nodes: v.array(v.object({ type: v.string(), issue: relatedRef })),
        pageInfo: v.object({ hasNextPage: v.boolean() }),
      }),
    }),
  ),
});
export type LinearIssueRelations = NonNullable<v.InferOutput<typeof issueRelationsSchema>['issue']>;

export const successSchema = (field: string) => v.object({ [field]: v.object({ success: v.boolean() }) });

export const organizationSchema = v.object({
  organization: v.object({ id: v.string(), name: v.string(), urlKey: v.string() }),
});

export const teamsSchema = v.object({
  teams: v.object({
    nodes: v.array(v.object({ id: v.string(), key: v.string(), name: v.string() })),
    pageInfo,
  }),
});
