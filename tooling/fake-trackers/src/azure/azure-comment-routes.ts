/** Comment endpoints of the Azure DevOps fake (comments API 7.1-preview). */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { azureWorkItemCommented } from '../webhooks/azure-webhook-deliveries';
import { type AzureRouteContext, adoError, guard, workItemNotFound } from './azure-route-context';
import type { AzureComment } from './azure-state';

export function commentRoutes(context: AzureRouteContext): RouteDefinition[] {
  const wit = '/:org/:project/_apis/wit';
  const specPath = '/{organization}/{project}/_apis/wit/workItems/{workItemId}/comments';
  return ['workitems', 'workItems'].flatMap((segment): RouteDefinition[] => [
    {
      method: 'GET',
      pattern: `${wit}/${segment}/:workItemId/comments`,
      name: 'GET comments',
      handler: guard(context, specPath, (request) => listComments(context, request)),
    },
    {
      method: 'POST',
      pattern: `${wit}/${segment}/:workItemId/comments`,
      name: 'POST comment',
      handler: guard(context, specPath, (request) => addComment(context, request)),
    },
  ]);
}

function commentJson(context: AzureRouteContext, request: FakeRequest, comment: AzureComment) {
  const { state } = context;
  return {
    workItemId: comment.workItemId,
    id: comment.id,
    version: 1,
    text: comment.text,
    createdBy: { ...state.currentUser },
    createdDate: comment.createdDate,
    modifiedBy: { ...state.currentUser },
    modifiedDate: comment.createdDate,
    url: `${request.url.origin}/${state.organization}/_apis/wit/workItems/${comment.workItemId}/comments/${comment.id}`,
  };
}

function addComment(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const { state } = context;
  const item = state.workItems.get(Number(request.params.workItemId));
  if (!item) return workItemNotFound(request.params.workItemId);
  const text = (request.body as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '')
    return adoError(400, 'VS403xxx: The comment text must not be empty.');
  const stamp = state.tick();
  const comment = { id: state.nextCommentId(), workItemId: item.id, text, createdDate: stamp };
  state.comments.set(item.id, [...(state.comments.get(item.id) ?? []), comment]);
  // A comment is a revision of the work item (System.History), as on the real service.
  item.rev += 1;
  item.fields['System.CommentCount'] = (state.comments.get(item.id) ?? []).length;
  item.fields['System.ChangedDate'] = stamp;
  azureWorkItemCommented(state.webhooks, state, item, text);
  return { status: 200, body: commentJson(context, request, comment) };
}

function listComments(context: AzureRouteContext, request: FakeRequest): FakeResponse {
  const item = context.state.workItems.get(Number(request.params.workItemId));
  if (!item) return workItemNotFound(request.params.workItemId);
  const comments = (context.state.comments.get(item.id) ?? []).map((comment) =>
    commentJson(context, request, comment),
  );
  return { status: 200, body: { totalCount: comments.length, count: comments.length, comments } };
}
