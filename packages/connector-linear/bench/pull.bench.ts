// `pnpm --filter @spec-kitty/connector-linear bench`: full and incremental pulls of 1 000 issues
// against the Linear fake, printing the requests each needs (the original asked for `limit`
// issues per page uncapped, so with the usual limit of 100 it needed 10 requests per 1 000).
import { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { bench, describe } from 'vitest';
import { LinearConnector } from '../src/linear-connector';

const KEY = 'lin_api_bench';
let fake: LinearFake;
let connector: LinearConnector;
let midpoint: Date;

async function pullAll(updatedSince: Date | null): Promise<number> {
  let cursor: string | null = null;
  let count = 0;
  do {
    const page = await connector.listIssues({ updatedSince, cursor, limit: 1000 });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

fake = await new LinearFake({ apiKeys: [KEY] }).start();
const team = fake.state.defaultTeam;
const label = fake.state.addLabel({ name: 'bench', teamId: team.id });
midpoint = new Date();
for (let i = 0; i < 1000; i += 1) {
  const issue = fake.state.addIssue({
    teamId: team.id,
    title: `Issue ${i}`,
    labelIds: [label.id],
    priority: i % 5,
  });
  if (i === 900) midpoint = issue.updatedAt;
}
connector = new LinearConnector({
  apiKey: KEY,
  teamId: team.id,
  workspace: 'linear',
  graphqlUrl: fake.graphqlUrl,
  statusToStateId: {},
  overlapMs: 0,
});
fake.resetCounts();
await pullAll(null);
console.log(`full pull: ${fake.operationCount('ListIssues')} requests for 1000 issues`);
fake.resetCounts();
await pullAll(midpoint);
console.log(`incremental pull of the last 100: ${fake.operationCount('ListIssues')} request(s)`);

describe('Linear pulls (1 000 issues)', () => {
  bench(
    'full pull',
    async () => {
      await pullAll(null);
    },
    { iterations: 5, time: 0 },
  );

  bench(
    'incremental pull (100 changed)',
    async () => {
      await pullAll(midpoint);
    },
    { iterations: 20, time: 0 },
  );
});
