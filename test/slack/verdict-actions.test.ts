// The verdict's buttons: Explain (reasoning in the thread), Export ADR (files upload v2 against the
// fake's upload URL) and Change check-in date (asker or admin only, then the date modal's submission).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  allText,
  blocksOf,
  CHANNEL,
  checkpoint,
  consultViaModal,
  messageAction,
  postedTs,
  startSlackApp,
  TEAM,
  USER,
  viewPayload,
  type SlackHarness,
  type ViewArg,
} from './harness.js';

let h: SlackHarness;
let id: string;
let parentTs: string;
let verdictTs: string;

beforeAll(async () => {
  h = await startSlackApp();
  const done = await consultViaModal(h, { viewId: 'VACTIONS1', visibility: 'thread' });
  id = done.id;
  parentTs = postedTs(done.posts[0]!);
  verdictTs = postedTs(done.verdict);
});

afterAll(async () => {
  await h?.stop();
});

/** A click on one of the verdict message's buttons, in the channel thread it was posted to. */
function verdictClick(actionId: string, user = USER): Record<string, unknown> {
  return messageAction({
    channel: CHANNEL,
    messageTs: verdictTs,
    threadTs: parentTs,
    user,
    action: { type: 'button', action_id: actionId, block_id: 'verdict_actions', value: id, text: { type: 'plain_text', text: actionId } },
  });
}

function checkInOf(consultationId: string): { check_in_at: number; due_at: number } {
  return h.query(
    (db) =>
      db
        .prepare("SELECT c.check_in_at, j.due_at FROM consultations c JOIN scheduled_jobs j ON j.job_key = 'check-in:' || c.id WHERE c.id = ?")
        .get(consultationId) as { check_in_at: number; due_at: number },
  );
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('verdict buttons', () => {
  it('Explain posts the full reasoning in the verdict’s thread', async () => {
    const mark = checkpoint(h.api);
    const res = await h.interact(verdictClick('verdict_explain'));
    expect(res.status).toBe(200);
    const [post] = await mark.wait('chat.postMessage');
    expect(post!.args.channel).toBe(CHANNEL);
    expect(post!.args.thread_ts).toBe(parentTs);
    const blocks = blocksOf(post!);
    expect(blocks[0]!.type).toBe('header');
    expect(blocks[0]!.text!.text).toMatch(/^Why: .+ — Kubernetes/);
    const text = allText(post!).join('\n');
    expect(text).toContain('_The claim:_');
    expect(text).toContain('*What would change the verdict*');
    expect(text).toContain('*All the alternatives*');
    // One section per predicted failure mode, each with its probability.
    const predictions = h.query((db) => db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE consultation_id = ?').get(id) as { n: number });
    expect(blocks.filter((b) => b.type === 'section' && /_You would see:_/.test(b.text?.text ?? ''))).toHaveLength(predictions.n);
  });

  it('Export ADR uploads a MADR file into the thread with the external upload flow', async () => {
    const mark = checkpoint(h.api);
    const uploadsBefore = h.api.uploads.length;
    const res = await h.interact(verdictClick('verdict_export_adr'));
    expect(res.status).toBe(200);
    const [getUrl] = await mark.wait('files.getUploadURLExternal');
    expect(getUrl!.args.filename).toBe(`adr-${id}.md`);
    const [complete] = await mark.wait('files.completeUploadExternal');
    const fileId = (getUrl!.response as { file_id: string }).file_id;

    const upload = h.api.uploads.slice(uploadsBefore).find((u) => u.fileId === fileId);
    expect(upload, 'the file bytes were sent to the upload URL').toBeDefined();
    expect(upload!.body).toContain('## Decision Outcome');
    expect(upload!.body).toContain(`consultation ${id}`);
    expect(upload!.body).toContain('# should we use kubernetes?');
    // The length announced up front is the number of bytes of the file itself.
    expect(Number(getUrl!.args.length)).toBeGreaterThan(0);
    expect(upload!.bytes).toBeGreaterThanOrEqual(Number(getUrl!.args.length));

    expect(complete!.args.channel_id).toBe(CHANNEL);
    expect(complete!.args.thread_ts).toBe(parentTs);
    expect(complete!.args.files).toEqual([{ id: fileId, title: expect.stringContaining(id) }]);
    expect(String(complete!.args.initial_comment)).toContain(id);
  });

  it('Change check-in opens the date modal for the asker', async () => {
    const mark = checkpoint(h.api);
    await h.interact(verdictClick('verdict_change_check_in'));
    const [open] = await mark.wait('views.open');
    const view = open!.args.view as ViewArg;
    expect(view.callback_id).toBe('check_in_modal');
    expect(view.private_metadata).toBe(id);
    expect(view.blocks[0]!.element?.type).toBe('datepicker');
    expect(view.blocks[0]!.element?.initial_date).toBe(isoDay(checkInOf(id).check_in_at));
    // The asker needs no admin lookup.
    expect(mark.calls('users.info')).toEqual([]);
  });

  it('Change check-in is refused to someone else who is not an admin', async () => {
    const mark = checkpoint(h.api);
    await h.interact(verdictClick('verdict_change_check_in', 'U0002'));
    await mark.wait('users.info');
    expect(mark.calls('users.info').map((c) => c.args.user)).toEqual(['U0002']);
    // A later observable event (Explain's post) proves the refused click opened no modal: views.open would
    // have followed users.info's answer before the next request was even sent.
    await h.interact(verdictClick('verdict_explain', 'U0002'));
    await mark.wait('chat.postMessage');
    expect(mark.calls('views.open')).toEqual([]);
    expect(checkInOf(id).check_in_at).toBeGreaterThan(Date.now());
    // The refusal reaches U0002 as a DM from the one error handler.
    const refusal = await eventually(() =>
      h.api.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0002' && String(c.args.text).includes('Only the person who asked')),
    );
    expect(refusal.args.text).toMatch(/check-in/);
  });

  it('a workspace admin may change someone else’s check-in', async () => {
    h.api.admins.add('UADMIN');
    const mark = checkpoint(h.api);
    await h.interact(verdictClick('verdict_change_check_in', 'UADMIN'));
    const [open] = await mark.wait('views.open');
    expect((open!.args.view as ViewArg).callback_id).toBe('check_in_modal');
  });
});

describe('check-in modal submission', () => {
  function checkInSubmission(date: string, user = USER): Record<string, unknown> {
    const values = { date: { date: { type: 'datepicker', selected_date: date } } };
    return viewPayload({ viewId: `VCHECKIN-${date}-${user}`, callbackId: 'check_in_modal', privateMetadata: id, values, user });
  }

  it('rejects a date that is not after today, and changes nothing', async () => {
    const before = checkInOf(id);
    const mark = checkpoint(h.api);
    const res = await h.interact(checkInSubmission(isoDay(Date.now())));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_action: 'errors', errors: { date: 'Pick a date after today.' } });
    // The listener returns right after this ack.
    expect(checkInOf(id)).toEqual(before);
    expect(mark.calls('chat.postMessage')).toEqual([]);
  });

  it('moves the check-in and its job to a future date and confirms by DM', async () => {
    const date = isoDay(Date.now() + 200 * 86_400_000);
    const mark = checkpoint(h.api);
    const res = await h.interact(checkInSubmission(date));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const [dm] = await mark.wait('chat.postMessage');
    expect(dm!.args.channel).toBe(USER);
    expect(dm!.args.text).toBe(`Check-in for \`${id}\` moved to ${date}.`);
    const at = Date.parse(`${date}T09:00:00Z`);
    expect(checkInOf(id)).toEqual({ check_in_at: at, due_at: at });
  });
});
