// "Did you follow the suggested alternative?" in Slack: the check-in names the alternative, the actual
// cost/time modal asks it, and the submitted answer is stored with the actuals (failure prevention).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCheckInView } from '../../src/present/check-in.js';
import { ACTUALS_CALLBACK, FOLLOWED_INPUT, renderActualsModal, renderCheckInBlocks } from '../../src/slack/blocks/check-in.js';
import type { ConsultationRow, PredictionRow } from '../../src/store/types.js';
import { checkpoint, consultViaModal, startSlackApp, USER, viewPayload, type SlackHarness } from './harness.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackApp();
});

afterAll(async () => {
  await h?.stop();
});

const stored = (id: string) =>
  h.query((db) => ({
    followed: (db.prepare('SELECT followed_alternative AS f FROM consultations WHERE id = ?').get(id) as { f: number | null }).f,
    actuals: db.prepare('SELECT e.kind, o.actual_value AS value FROM outcomes o JOIN estimates e ON e.id = o.estimate_id WHERE e.consultation_id = ? ORDER BY e.kind').all(id),
  }));

function actualsSubmission(id: string, values: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return viewPayload({ viewId: `V-${id}-${Object.keys(values).join('-')}`, callbackId: ACTUALS_CALLBACK, privateMetadata: id, values, user: USER });
}

const radio = (value: string) => ({ [FOLLOWED_INPUT]: { [FOLLOWED_INPUT]: { type: 'radio_buttons', selected_option: { text: { type: 'plain_text', text: value }, value } } } });

describe('slack check-in: followed the suggested alternative', () => {
  it('the check-in names the alternative; the actuals modal asks whether it was followed (optional)', () => {
    const assessment = { title: 'Kubernetes', failureModes: [], cost: { p10: 1, p50: 2, p90: 3 }, time: { p10: 1, p50: 2, p90: 3 }, alternatives: [{ name: 'Plain VMs', recommended: false }, { name: 'A PaaS', recommended: true }] };
    const row = { id: 'rc-1', question: 'k8s?', createdAt: 0, notAdopted: false, followedAlternative: null, assessment } as unknown as ConsultationRow;
    const view = buildCheckInView(row, [] as PredictionRow[], false);
    expect(view.alternative).toBe('A PaaS');
    expect(JSON.stringify(renderCheckInBlocks(view))).toContain('Suggested alternative: “A PaaS”.');
    const modal = renderActualsModal('rc-1');
    const block = modal.blocks.find((b) => b.block_id === FOLLOWED_INPUT) as { optional?: boolean; element: { type: string; options: Array<{ value: string }> } };
    expect(block.optional).toBe(true);
    expect(block.element.type).toBe('radio_buttons');
    expect(block.element.options.map((o) => o.value)).toEqual(['yes', 'no']);
  });

  it('stores the answer with the actuals; a later submit without it keeps it, "no" replaces it', async () => {
    const { id } = await consultViaModal(h, { viewId: 'V0FOLLOW', visibility: 'me' });
    expect(stored(id).followed).toBeNull();

    let mark = checkpoint(h.api);
    expect((await h.interact(actualsSubmission(id, { cost: { cost: { type: 'number_input', value: '120000' } }, ...radio('yes') }))).status).toBe(200);
    await mark.wait('chat.postMessage');
    expect(stored(id)).toEqual({ followed: 1, actuals: [{ kind: 'cost', value: 120000 }] });

    mark = checkpoint(h.api);
    await h.interact(actualsSubmission(id, { months: { months: { type: 'number_input', value: '7' } } }));
    await mark.wait('chat.postMessage');
    expect(stored(id)).toEqual({ followed: 1, actuals: [{ kind: 'cost', value: 120000 }, { kind: 'time', value: 7 }] });

    mark = checkpoint(h.api);
    await h.interact(actualsSubmission(id, radio('no')));
    await mark.wait('chat.postMessage');
    expect(stored(id).followed).toBe(0);
  });
});
