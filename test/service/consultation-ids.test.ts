// Consultation ids sort by when the decision began (so every id index grows at its end), and a
// delivery's id stays the same however often it is delivered.
import { describe, expect, it } from 'vitest';
import { consultationIdFromKey, newConsultationId } from '../../src/service/consult-service.js';

const T = Date.UTC(2026, 11, 6, 20, 30, 15);
const MINUTE = 60_000;

describe('newConsultationId', () => {
  it('is rc- and 14 base32 characters, random within a minute', () => {
    const ids = Array.from({ length: 200 }, () => newConsultationId(T));
    for (const id of ids) expect(id).toMatch(/^rc-[0-9a-hjkmnp-tv-z]{14}$/);
    expect(new Set(ids).size).toBe(200);
    expect(new Set(ids.map((id) => id.slice(0, 9))).size).toBe(1);
  });

  it('sorts as strings in the order of the minutes it was made in, over centuries and across digit carries', () => {
    const times = [0, MINUTE, 31 * MINUTE, 32 * MINUTE, 1023 * MINUTE, 1024 * MINUTE, T - MINUTE, T, T + MINUTE, Date.UTC(2100, 0, 1), Date.UTC(3000, 0, 1)];
    const ids = times.map((t) => newConsultationId(t));
    expect([...ids].sort()).toEqual(ids);
    // Two ids of the same minute share the time digits; the next minute's come after both.
    expect(newConsultationId(T + 30_000).slice(0, 9)).toBe(newConsultationId(T).slice(0, 9));
  });
});

describe('consultationIdFromKey', () => {
  it('gives a delivery the same id every time, and another delivery another id', () => {
    expect(consultationIdFromKey('slack-view:T1:V1', T)).toBe(consultationIdFromKey('slack-view:T1:V1', T));
    expect(consultationIdFromKey('slack-view:T1:V2', T)).not.toBe(consultationIdFromKey('slack-view:T1:V1', T));
  });

  it('starts with the minute the questionnaire began, as a new id made then does', () => {
    const id = consultationIdFromKey('slack-dm:T1:D1:1700000000.000100', T);
    expect(id).toMatch(/^rc-[0-9a-z]{14}$/);
    expect(id.slice(0, 9)).toBe(newConsultationId(T).slice(0, 9));
    expect(consultationIdFromKey('k', T + MINUTE) > consultationIdFromKey('k', T)).toBe(true);
  });

  it('is the hash alone when the delivery carries no usable time (a modal opened before ids had one)', () => {
    const bare = consultationIdFromKey('slack-view:T1:V1');
    expect(bare).toMatch(/^rc-[0-9a-z]{8}$/);
    for (const at of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY]) expect(consultationIdFromKey('slack-view:T1:V1', at)).toBe(bare);
    expect(consultationIdFromKey('slack-view:T1:V1', T).slice(9)).toBe(bare.slice(3));
  });
});
