// The Query root fields the fake serves.
import type { Args, View } from './linear-connection';
import { LinearInputError } from './linear-filters';
import { notFound, requireIssue } from './linear-input-checks';
import type { LinearViews } from './linear-views';

export function queryResolvers(views: LinearViews): View {
  const { db } = views;
  return {
    issue: (args: Args) => views.issue(requireIssue(db, String(args.id))),
    issues: (args: Args) => views.issues([...db.issues.values()], args),
    organization: () => views.organization(),
    teams: (args: Args) => views.teams(args),
    team: (args: Args) => {
      const team = db.teams.get(String(args.id)) ?? [...db.teams.values()].find((t) => t.key === args.id);
      if (!team) throw notFound('Team');
      return views.team(team);
    },
    workflowStates: (args: Args) => views.states([...db.states.values()], args),
    issueLabels: (args: Args) => views.labels([...db.labels.values()], args),
    users: (args: Args) => views.users(args),
    user: (args: Args) => {
      const user = db.users.get(String(args.id));
      if (!user) throw notFound('User');
      return views.user(user);
    },
    viewer: () => {
      const user = db.viewerId ? db.users.get(db.viewerId) : undefined;
      if (!user)
        throw new LinearInputError(
          'Authentication required',
          'You need to authenticate.',
          'AUTHENTICATION_ERROR',
        );
      return views.user(user);
    },
  };
}
