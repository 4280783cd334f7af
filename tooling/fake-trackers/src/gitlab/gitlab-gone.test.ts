import { describe, expect, it } from 'vitest';
import { useFakes } from '../testing/use-fakes';
import { GitLabFake } from './gitlab-fake';

const track = useFakes();

describe('GitLabFake deletions and moves', () => {
  it('deletes outright, moves with moved_to_id, and filters iids[]', async () => {
    const gl = await track(new GitLabFake().start());
    const web = gl.state.addProject({ id: 42, path: 'web' });
    const api = gl.state.addProject({ id: 43, path: 'api' });
    for (const title of ['a', 'b', 'c']) gl.state.addIssue(web.id, { title });
    gl.state.deleteIssue(web.id, 2);
    const copy = gl.state.moveIssue(web.id, 3, api.id);
    expect((await fetch(`${gl.apiUrl}/projects/42/issues/2`)).status).toBe(404);
    const rows = (await (
      await fetch(`${gl.apiUrl}/projects/42/issues?iids[]=1&iids[]=2&iids[]=3`)
    ).json()) as {
      iid: number;
      state: string;
      moved_to_id: number | null;
    }[];
    expect(rows.map((row) => [row.iid, row.state, row.moved_to_id]).sort()).toEqual([
      [1, 'opened', null],
      [3, 'closed', copy.id],
    ]);
  });

  it('leaves out the issues of not[iids][]', async () => {
    const gl = await track(new GitLabFake().start());
    gl.state.addProject({ id: 42, path: 'web' });
    gl.state.addManyIssues(42, 4);
    const rows = (await (
      await fetch(`${gl.apiUrl}/projects/42/issues?not[iids][]=1&not[iids][]=3`)
    ).json()) as { iid: number }[];
    expect(rows.map((row) => row.iid).sort()).toEqual([2, 4]);
  });

  it('rejects a non-integer iids[] as GitLab does (a spec violation)', async () => {
    const gl = await new GitLabFake().start();
    try {
      gl.state.addProject({ id: 42, path: 'web' });
      expect((await fetch(`${gl.apiUrl}/projects/42/issues?iids[]=abc`)).status).toBe(400);
      expect(gl.violations.join('\n')).toMatch(/iids\[\] must be an integer/);
    } finally {
      gl.violations.length = 0;
      await gl.close();
    }
  });
});
