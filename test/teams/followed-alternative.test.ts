// "Did you follow the suggested alternative?" on the Teams check-in card: asked with the alternative's
// name, stored with the outcomes on submit, shown as answered afterwards (the failure-prevention metric).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, cardSubmit, DAY, elements, exchange, KUBERNETES_ANSWERS, onlyCard, personalMessage, startTeamsApp, type TeamsHarness } from './harness.js';

let h: TeamsHarness;

beforeAll(async () => {
  h = await startTeamsApp();
});

afterAll(async () => {
  await h?.stop();
});

const inputs = (answers: Record<string, string>) => Object.fromEntries(Object.entries(answers).map(([k, v]) => [`q:${k}`, v]));
const followed = (id: string) => h.query((db) => (db.prepare('SELECT followed_alternative AS f FROM consultations WHERE id = ?').get(id) as { f: number | null }).f);

describe('teams check-in: followed the suggested alternative', () => {
  it('asks it by name, stores the answer and shows it on the updated card', async () => {
    const asked = await exchange(h, personalMessage(h, 'should we use kubernetes?'));
    const done = await exchange(h, cardSubmit(h, { replyToId: asked.calls[0]!.responseId, data: action(onlyCard(asked.calls[0]!), 'Get verdict').data, inputs: { topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) } }));
    const verdict = onlyCard(done.calls.find((c) => c.kind === 'reply')!);
    const id = String(action(verdict, 'Explain').data.id);
    const alternative = h.query((db) => {
      const a = JSON.parse((db.prepare('SELECT assessment_json FROM consultations WHERE id = ?').get(id) as { assessment_json: string }).assessment_json) as { instead?: { name: string }; alternatives: Array<{ name: string; recommended: boolean }> };
      return (a.instead ?? a.alternatives.find((x) => x.recommended))!.name;
    });

    const mark = h.connector.calls.length;
    h.clock.advance(90 * DAY + 60_000);
    await h.app.runDueJobs();
    const sent = h.connector.since(mark);
    const card = onlyCard(sent[0]!);
    const question = elements(card).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'followedAlternative');
    expect(question).toMatchObject({ label: `Did you follow the suggested alternative, “${alternative}”?`, choices: [{ value: 'yes' }, { value: 'no' }] });
    expect(question).not.toHaveProperty('value');
    expect(followed(id)).toBeNull();

    const res = await exchange(h, cardSubmit(h, { replyToId: sent[0]!.responseId, data: action(card, 'Save outcomes').data, inputs: { 'fm:learning-curve-stall': 'not-happened', followedAlternative: 'yes' } }));
    expect(res.calls.map((c) => c.kind)).toEqual(['update']);
    expect(followed(id)).toBe(1);
    expect(elements(onlyCard(res.calls[0]!)).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'followedAlternative')).toMatchObject({ value: 'yes' });

    // Left unanswered on a later submit, the earlier answer stays; "no" replaces it.
    await exchange(h, cardSubmit(h, { replyToId: sent[0]!.responseId, data: action(card, 'Save outcomes').data, inputs: { 'fm:learning-curve-stall': 'happened' } }));
    expect(followed(id)).toBe(1);
    await exchange(h, cardSubmit(h, { replyToId: sent[0]!.responseId, data: action(card, 'Save outcomes').data, inputs: { followedAlternative: 'no' } }));
    expect(followed(id)).toBe(0);
  });
});
