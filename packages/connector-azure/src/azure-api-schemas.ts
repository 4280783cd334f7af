import * as v from 'valibot';

/** Valibot schemas of the Azure DevOps 7.1 payloads the connector reads (loose objects). */

export const azureRelationSchema = v.looseObject({
  rel: v.string(),
  url: v.string(),
  attributes: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
});
export type AzureRelationPayload = v.InferOutput<typeof azureRelationSchema>;

export const azureWorkItemSchema = v.looseObject({
  id: v.number(),
  rev: v.optional(v.number()),
  fields: v.optional(v.nullable(v.record(v.string(), v.unknown())), {}),
  relations: v.optional(v.nullable(v.array(azureRelationSchema))),
  url: v.nullish(v.string()),
});
export type AzureWorkItemPayload = v.InferOutput<typeof azureWorkItemSchema>;

export const azureWorkItemBatchSchema = v.looseObject({
  count: v.optional(v.number()),
  value: v.array(v.nullable(azureWorkItemSchema)),
});

export const azureWiqlResultSchema = v.looseObject({
  asOf: v.nullish(v.string()),
  workItems: v.array(v.looseObject({ id: v.number() })),
});
export type AzureWiqlResult = v.InferOutput<typeof azureWiqlResultSchema>;

export const azureProjectSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  description: v.nullish(v.string()),
  url: v.nullish(v.string()),
  state: v.nullish(v.string()),
  visibility: v.nullish(v.string()),
});
export type AzureProjectPayload = v.InferOutput<typeof azureProjectSchema>;

export const azureProjectListSchema = v.looseObject({
  count: v.optional(v.number()),
  value: v.array(azureProjectSchema),
});

/** `GET …/_apis/wit/recyclebin`: shallow references of the project's deleted work items. */
export const azureRecycleBinSchema = v.looseObject({
  count: v.optional(v.number()),
  value: v.array(v.looseObject({ id: v.number(), url: v.nullish(v.string()) })),
});
