// The root value (Query and Mutation fields) the fake's GraphQL executor runs against.

import { commentLabelMutations } from './linear-comment-label-mutations';
import type { View } from './linear-connection';
import { issueMutations } from './linear-issue-mutations';
import { queryResolvers } from './linear-query-resolvers';
import type { LinearFakeState } from './linear-state';
import { LinearViews } from './linear-views';

/** Builds the root value (Query + Mutation fields) and the object views over a fake state. */
export function createLinearRoot(db: LinearFakeState): View {
  const views = new LinearViews(db);
  return {
    query: queryResolvers(views),
    mutation: { ...issueMutations(views), ...commentLabelMutations(views) },
  };
}
