// Valibot schemas of the Jira Cloud REST v3 payloads this connector reads. They are loose (extra
// keys pass) and only pin what the mapping relies on, so a contract break surfaces as an
// IssuePayloadContractError naming the field path (`issues[3].id`) instead of a crash later.
import * as v from 'valibot';

const looseRecord = v.record(v.string(), v.unknown());

export const issueBeanSchema = v.looseObject({
  id: v.pipe(v.string('issue id must be a string'), v.nonEmpty('issue id must not be empty')),
  key: v.optional(v.string()),
  fields: v.optional(v.nullable(looseRecord)),
  properties: v.optional(v.nullable(looseRecord)),
});
export type JiraIssueBean = v.InferOutput<typeof issueBeanSchema>;

export const searchResultsSchema = v.looseObject({
  issues: v.optional(v.array(issueBeanSchema), []),
  nextPageToken: v.optional(v.nullable(v.string())),
  isLast: v.optional(v.boolean()),
});

export const createdIssueSchema = v.looseObject({
  id: v.pipe(v.string(), v.nonEmpty()),
  key: v.pipe(v.string(), v.nonEmpty()),
});

export const transitionsSchema = v.looseObject({
  transitions: v.optional(v.nullable(v.array(v.unknown()))),
});

export const fieldDetailsSchema = v.array(
  v.looseObject({
    id: v.string(),
    name: v.optional(v.string(), ''),
    custom: v.optional(v.boolean()),
    schema: v.optional(v.nullable(looseRecord)),
  }),
);
export type JiraFieldDetails = v.InferOutput<typeof fieldDetailsSchema>[number];

export const accessibleResourcesSchema = v.array(
  v.looseObject({
    id: v.pipe(v.string(), v.nonEmpty()),
    name: v.string(),
    url: v.optional(v.nullable(v.string())),
  }),
);

export const projectPageSchema = v.looseObject({
  values: v.optional(
    v.array(
      v.looseObject({
        id: v.union([v.string(), v.number()]),
        key: v.string(),
        name: v.string(),
      }),
    ),
    [],
  ),
  isLast: v.optional(v.nullable(v.boolean())),
});

/** `POST /rest/api/3/issue/bulkfetch`: the issues found, and those Jira could not return now. */
export const bulkIssueResultsSchema = v.looseObject({
  issues: v.optional(v.array(issueBeanSchema), []),
  issueErrors: v.optional(
    v.array(v.looseObject({ id: v.optional(v.string()), errorMessage: v.optional(v.string()) })),
    [],
  ),
});
export type JiraBulkIssueResults = v.InferOutput<typeof bulkIssueResultsSchema>;
