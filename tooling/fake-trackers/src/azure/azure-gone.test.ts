import { describe, expect, it } from 'vitest';
import { useFakes } from '../testing/use-fakes';
import { AzureDevOpsFake } from './azure-fake';

const PAT = 'pat';
const auth = { authorization: `Basic ${Buffer.from(`:${PAT}`).toString('base64')}` };
const track = useFakes();

describe('AzureDevOpsFake recycle bin and moves', () => {
  it('deleted items leave reads for the recycle bin; destroyed ones leave it; moved ones change project', async () => {
    const ado = await track(new AzureDevOpsFake({ personalAccessToken: PAT }).start());
    ado.state.addProject('Web');
    ado.state.addProject('Mobile');
    const [binned, destroyed, moved] = ['binned', 'destroyed', 'moved'].map((title) =>
      ado.state.addWorkItem('Web', 'Task', { 'System.Title': title }),
    );
    ado.state.deleteWorkItem(binned?.id ?? 0);
    ado.state.deleteWorkItem(destroyed?.id ?? 0, { destroy: true });
    ado.state.moveWorkItem(moved?.id ?? 0, 'Mobile');
    const base = `${ado.organizationUrl}/Web/_apis/wit`;
    const bin = await fetch(`${base}/recyclebin?api-version=7.1`, { headers: auth });
    expect(((await bin.json()) as { value: { id: number }[] }).value.map((entry) => entry.id)).toEqual([
      binned?.id,
    ]);
    const batch = await fetch(`${base}/workitemsbatch?api-version=7.1`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        ids: [binned?.id, destroyed?.id, moved?.id],
        fields: ['System.TeamProject'],
        errorPolicy: 'omit',
      }),
    });
    const value = ((await batch.json()) as { value: ({ fields: Record<string, unknown> } | null)[] }).value;
    expect(value.map((item) => item?.fields['System.TeamProject'] ?? null)).toEqual([null, null, 'Mobile']);
    expect((await fetch(`${base}/workitems/${binned?.id}?api-version=7.1`, { headers: auth })).status).toBe(
      404,
    );
  });
});
