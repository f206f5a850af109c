// The scale benchmark's four Slack flows as signed requests, each from a person the server has never
// seen, in a workspace picked at random among the world's 10,000, sent at a fixed rate; the latency of
// each is measured to the Web API call that completes it, as the stand-in sees it.
import { DM_ACTIONS } from '../src/slack/blocks/dm-step.js';
import { MODAL_CALLBACK, questionBlockId, VISIBILITY_BLOCK } from '../src/slack/blocks/modal.js';
import type { KnowledgeBase } from '../src/knowledge/load.js';
import { currentStep } from '../src/consult/conversation.js';
import { post, signedHeaders, type ServerProcess } from './harness.js';
import { dmState, randomAnswers, unit, workspaceId, WORLD } from './scale-world.js';
import { now, type StandIn } from './standin.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export type FlowName = 'slash command → views.open' | 'modal submission → verdict posted' | 'DM click → chat.update' | 'App Home → views.publish';
export const FLOWS: FlowName[] = ['slash command → views.open', 'modal submission → verdict posted', 'DM click → chat.update', 'App Home → views.publish'];

/** What completes each flow at the stand-in, and the argument that says which request it was. */
const COMPLETION: Record<FlowName, { method: string; key: string }> = {
  'slash command → views.open': { method: 'views.open', key: 'trigger_id' },
  'modal submission → verdict posted': { method: 'chat.postMessage', key: 'channel' },
  'DM click → chat.update': { method: 'chat.update', key: 'channel' },
  'App Home → views.publish': { method: 'views.publish', key: 'user_id' },
};

/** Seen completions by method and key, filled from the stand-in's hook. */
export function watch(standIn: StandIn): Map<string, number> {
  const seen = new Map<string, number>();
  standIn.onCall = (method, args) => {
    for (const c of Object.values(COMPLETION)) {
      if (c.method === method) {
        const key = args.get(c.key);
        if (key) seen.set(`${method}|${key}`, now());
      }
    }
  };
  return seen;
}

/** The DM questionnaires the clicks land on: one per click, stored before the run like any in progress. */
export function clickTarget(run: string, n: number): { workspace: string; user: string; channel: string; key: string } {
  const channel = `DK${run}x${n}`;
  return { workspace: workspaceId(Math.floor(unit(n, 77) * WORLD.workspaces)), user: `UK${run}x${n}`, channel, key: `${channel}:1800000000.000100` };
}

export class Requests {
  private readonly modalValues: string;
  private readonly click: { actionId: string; value: string };

  constructor(kb: KnowledgeBase, private readonly run: string) {
    const answers = randomAnswers(kb, 'kubernetes', () => 0.3);
    const values: Record<string, unknown> = Object.fromEntries(Object.entries(answers).map(([q, c]) => [questionBlockId(q), { choice: { type: 'static_select', selected_option: { value: c } } }]));
    values[VISIBILITY_BLOCK] = { visibility: { type: 'radio_buttons', selected_option: { value: 'channel' } } };
    this.modalValues = JSON.stringify(values);
    const step = currentStep(kb, dmState(kb));
    if (step.kind !== 'question') throw new Error('the DM questionnaire has no first question');
    const choice = step.question.choices[0]!;
    this.click = step.question.choices.length <= 5
      ? { actionId: `${DM_ACTIONS.answer}:0`, value: JSON.stringify({ q: step.question.id, c: choice.id }) }
      : { actionId: DM_ACTIONS.select, value: JSON.stringify({ q: step.question.id, c: choice.id }) };
  }

  /** Request n of a flow: its body, content type, and the key its completion carries. */
  build(flow: FlowName, n: number): { body: string; type: string; key: string } {
    const workspace = workspaceId(Math.floor(unit(n, 55) * WORLD.workspaces));
    const user = `UL${this.run}x${n}`;
    switch (flow) {
      case 'slash command → views.open': {
        const trigger = `t${this.run}x${n}`;
        const body = new URLSearchParams({
          token: 'x', team_id: workspace, team_domain: 'scale', channel_id: `C${n}`, channel_name: 'general', user_id: user, user_name: 'scale',
          command: '/reality-check', text: 'should we use kubernetes?', api_app_id: 'A1', response_url: 'http://127.0.0.1:9/', trigger_id: trigger,
        }).toString();
        return { body, type: FORM, key: trigger };
      }
      case 'modal submission → verdict posted': {
        const channel = `CV${this.run}x${n}`;
        const payload = `{"type":"view_submission","team":{"id":"${workspace}"},"user":{"id":"${user}","team_id":"${workspace}"},"api_app_id":"A1","trigger_id":"t",`
          + `"view":{"id":"V${this.run}x${n}","callback_id":"${MODAL_CALLBACK}","hash":"h","private_metadata":${JSON.stringify(JSON.stringify({ channel, question: 'should we use kubernetes?', topic: 'kubernetes', dm: false, at: Date.now() }))},"state":{"values":${this.modalValues}}}}`;
        return { body: new URLSearchParams({ payload }).toString(), type: FORM, key: channel };
      }
      case 'DM click → chat.update': {
        const t = clickTarget(this.run, n);
        const payload = {
          type: 'block_actions', team: { id: t.workspace }, user: { id: t.user, team_id: t.workspace }, api_app_id: 'A1', trigger_id: 't',
          container: { type: 'message', channel_id: t.channel, message_ts: '1800000000.000200' }, channel: { id: t.channel },
          message: { ts: '1800000000.000200', thread_ts: '1800000000.000100' },
          actions: [this.click.actionId === DM_ACTIONS.select
            ? { type: 'static_select', action_id: this.click.actionId, block_id: 'b', selected_option: { value: this.click.value }, action_ts: `${n}.1` }
            : { type: 'button', action_id: this.click.actionId, block_id: 'b', value: this.click.value, action_ts: `${n}.1` }],
        };
        return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), type: FORM, key: t.channel };
      }
      case 'App Home → views.publish': {
        const body = JSON.stringify({
          token: 'x', team_id: workspace, api_app_id: 'A1', type: 'event_callback', event_id: `Ev${this.run}x${n}`, event_time: 1,
          event: { type: 'app_home_opened', user, channel: `D${n}`, tab: 'home' },
        });
        return { body, type: JSON_TYPE, key: user };
      }
    }
  }
}

export interface Target {
  server: ServerProcess;
  requests: Requests;
}

/**
 * Sends requests first..first+count-1 of a flow at `perSecond` to each target, open loop (a slow answer
 * does not slow the sender), the targets' requests interleaved half an interval apart, so whatever else
 * the machine is doing falls on all of them alike. Returns each target's latencies from sending to the
 * completing Web API call, in ms, and how many never completed.
 */
export async function fixedRate(targets: Target[], seen: Map<string, number>, flow: FlowName, first: number, count: number, perSecond: number): Promise<Array<{ latencies: number[]; missing: number }>> {
  const sent: Array<Array<[string, number]>> = targets.map(() => []);
  const interval = 1000 / perSecond / targets.length;
  const start = now();
  const pending: Promise<unknown>[] = [];
  const method = COMPLETION[flow].method;
  for (let i = 0; i < count; i++) {
    for (const [t, target] of targets.entries()) {
      const wait = start + (i * targets.length + t) * interval - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { body, type, key } = target.requests.build(flow, first + i);
      sent[t]!.push([`${method}|${key}`, now()]);
      pending.push(post(target.server.port, '/slack/events', body, signedHeaders(body, type)).then((res) => {
        if (res.status !== 200) throw new Error(`${flow}: status ${res.status}: ${res.body.slice(0, 200)}`);
      }));
    }
  }
  await Promise.all(pending);
  const deadline = now() + 5_000;
  // Polled often: the next server's turn starts when this one's last completion is in.
  while (now() < deadline && sent.some((list) => list.some(([k]) => !seen.has(k)))) await new Promise((r) => setTimeout(r, 2));
  return sent.map((list) => {
    const latencies: number[] = [];
    let missing = 0;
    for (const [k, at] of list) {
      const done = seen.get(k);
      if (done === undefined) missing++;
      else latencies.push(done - at);
      seen.delete(k);
    }
    return { latencies, missing };
  });
}
