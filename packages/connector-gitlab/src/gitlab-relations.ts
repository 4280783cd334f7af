// Links and hierarchy parents of many issues in one GraphQL request. GitLab REST serves links
// per issue only (`GET …/issues/{iid}/links`) and shows no work-item parent at all; GraphQL's
// `project.workItems(iids:)` answers both widgets for up to 100 issues at once.
import { type CanonicalLink, createLink, createRef, type ExternalRef } from '@spec-kitty/core';
import * as v from 'valibot';
import { GITLAB_SYSTEM, gitLabLinkTarget, gitLabLinkTypeToCanonical } from './gitlab-mapping';

/** Issues per GraphQL request (GitLab's `max_page_size` for connections). */
export const RELATIONS_BATCH = 100;
/** Linked items read per issue in the batch; an issue with more is read through REST. */
const LINKED_ITEMS_PAGE = 100;

/** The document: the hierarchy parent and the linked items of the given iids. */
export const GITLAB_RELATIONS_QUERY = `query SpecKittyIssueRelations($fullPath: ID!, $iids: [String!], $first: Int) {
  project(fullPath: $fullPath) {
    workItems(iids: $iids, first: $first) {
      nodes {
        iid
        widgets {
          ... on WorkItemWidgetHierarchy {
            parent { iid project { id } namespace { fullPath } }
          }
          ... on WorkItemWidgetLinkedItems {
            linkedItems(first: ${LINKED_ITEMS_PAGE}) {
              pageInfo { hasNextPage }
              nodes { linkType workItem { iid project { id } } }
            }
          }
        }
      }
    }
  }
}`;

const projectIdSchema = v.nullish(v.looseObject({ id: v.string() }));
const workItemRefSchema = v.looseObject({
  iid: v.union([v.string(), v.number()]),
  project: projectIdSchema,
  namespace: v.nullish(v.looseObject({ fullPath: v.string() })),
});
const widgetSchema = v.looseObject({
  parent: v.optional(v.nullable(workItemRefSchema)),
  linkedItems: v.optional(
    v.nullable(
      v.looseObject({
        pageInfo: v.looseObject({ hasNextPage: v.boolean() }),
        nodes: v.array(
          v.nullable(
            v.looseObject({
              linkType: v.string(),
              workItem: v.nullish(
                v.looseObject({ iid: v.union([v.string(), v.number()]), project: projectIdSchema }),
              ),
            }),
          ),
        ),
      }),
    ),
  ),
});

/** The `data` of {@link GITLAB_RELATIONS_QUERY} (valibot; loose objects: GitLab adds fields). */
export const gitLabRelationsDataSchema = v.looseObject({
  project: v.nullable(
    v.looseObject({
      workItems: v.nullish(
        v.looseObject({
          nodes: v.array(
            v.nullable(
              v.looseObject({
                iid: v.union([v.string(), v.number()]),
                widgets: v.nullish(v.array(widgetSchema)),
              }),
            ),
          ),
        }),
      ),
    }),
  ),
});
export type GitLabRelationsData = v.InferOutput<typeof gitLabRelationsDataSchema>;

/** What the batch says of one issue. `links` is null when it must be read through REST. */
export interface GitLabIssueRelations {
  readonly parent: ExternalRef | null;
  readonly links: CanonicalLink[] | null;
}

/** GitLab's GraphQL endpoint beside a REST root: `https://host/api/v4` → `https://host/api/graphql`. */
export function gitLabGraphQLUrl(restBaseUrl: string): string {
  return new URL('../graphql', `${restBaseUrl.replace(/\/+$/, '')}/`).toString();
}

/** The numeric id in a global id (`gid://gitlab/Project/42` → 42), or null. */
function numericGlobalId(gid: string | undefined): number | null {
  const match = gid === undefined ? null : /\/(\d+)$/.exec(gid);
  return match ? Number(match[1]) : null;
}

/**
 * The relations of each issue in `data`, by iid. A link target's project is the connector's own
 * `workspace` when its numeric id is `numericProjectId`, else that id (as REST reads it). Links
 * to work items outside any project (group epics) are left out, as REST leaves them out. A parent
 * in a project reads as that project's issue; a group epic as `{workspace: group path, id: iid}`
 * with key `group&iid` (GitLab's epic reference).
 */
export function relationsFromData(
  data: GitLabRelationsData,
  workspace: string,
  numericProjectId: number | null,
): Map<number, GitLabIssueRelations> {
  const byIid = new Map<number, GitLabIssueRelations>();
  const projectWorkspace = (gid: string | undefined): string | null => {
    const id = numericGlobalId(gid);
    if (id === null) return null;
    return id === numericProjectId ? workspace : String(id);
  };
  for (const node of data.project?.workItems?.nodes ?? []) {
    if (node === null) continue;
    let parent: ExternalRef | null = null;
    let links: CanonicalLink[] | null = null;
    for (const widget of node.widgets ?? []) {
      if (widget.parent) {
        const inProject = projectWorkspace(widget.parent.project?.id);
        const iid = String(widget.parent.iid);
        const group = widget.parent.namespace?.fullPath;
        if (inProject !== null) parent = gitLabLinkTarget(inProject, iid);
        else if (group)
          parent = createRef({ system: GITLAB_SYSTEM, workspace: group, id: iid, key: `${group}&${iid}` });
      }
      const items = widget.linkedItems;
      if (items && !items.pageInfo.hasNextPage) {
        links = [];
        for (const item of items.nodes) {
          const target = item?.workItem ? projectWorkspace(item.workItem.project?.id) : null;
          if (item?.workItem && target !== null)
            links.push(
              createLink({
                type: gitLabLinkTypeToCanonical(item.linkType),
                target: gitLabLinkTarget(target, String(item.workItem.iid)),
              }),
            );
        }
      }
    }
    byIid.set(Number(node.iid), { parent, links });
  }
  return byIid;
}
