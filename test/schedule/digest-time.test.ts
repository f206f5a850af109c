// When the weekly digest falls in the workspace's own time zone (across both DST changes), the ISO
// week key that makes it run once per week, and the parser behind `/reality-check digest`.
import { describe, expect, it } from 'vitest';
import { digestJobKey, isoWeekLabel, nextDigestTime, parseDigestSchedule } from '../../src/schedule/digest-time.js';

const BERLIN = { weekday: 1, hour: 9, minute: 0, timeZone: 'Europe/Berlin' };
const MINUTE = 60_000;
const DAY = 86_400_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('nextDigestTime: monday 09:00 Europe/Berlin', () => {
  // Winter (CET, UTC+1): Monday 2025-03-10 09:00 Berlin is 08:00 UTC.
  it('from a Sunday: the next morning', () => {
    expect(iso(nextDigestTime(BERLIN, utc(2025, 3, 9, 11)))).toBe('2025-03-10T08:00:00.000Z');
    // Sunday 23:30 Berlin (22:30 UTC) is still Sunday there.
    expect(iso(nextDigestTime(BERLIN, utc(2025, 3, 9, 22, 30)))).toBe('2025-03-10T08:00:00.000Z');
  });

  it('from Monday 08:59 Berlin: the same morning', () => {
    expect(iso(nextDigestTime(BERLIN, utc(2025, 3, 10, 7, 59)))).toBe('2025-03-10T08:00:00.000Z');
  });

  it('from Monday 09:01 Berlin, or exactly 09:00: a week later', () => {
    expect(iso(nextDigestTime(BERLIN, utc(2025, 3, 10, 8, 1)))).toBe('2025-03-17T08:00:00.000Z');
    // "Strictly after": the instant itself has had its digest.
    expect(iso(nextDigestTime(BERLIN, utc(2025, 3, 10, 8, 0)))).toBe('2025-03-17T08:00:00.000Z');
  });

  it('from Monday 08:30 UTC, which is already 09:30 in Berlin: next week, not this morning', () => {
    expect(iso(nextDigestTime(BERLIN, utc(2025, 3, 10, 8, 30)))).toBe('2025-03-17T08:00:00.000Z');
  });

  it('in summer (CEST, UTC+2) 09:00 Berlin is 07:00 UTC', () => {
    expect(iso(nextDigestTime(BERLIN, utc(2025, 7, 13, 12)))).toBe('2025-07-14T07:00:00.000Z');
    expect(iso(nextDigestTime(BERLIN, utc(2025, 7, 14, 6, 59)))).toBe('2025-07-14T07:00:00.000Z');
    expect(iso(nextDigestTime(BERLIN, utc(2025, 7, 14, 7, 1)))).toBe('2025-07-21T07:00:00.000Z');
  });

  // Clocks go back on Sunday 2025-10-26 at 03:00 CEST → 02:00 CET.
  it('across the end of DST in October: still 09:00 on the wall clock, so 8 UTC hours instead of 7', () => {
    const before = nextDigestTime(BERLIN, utc(2025, 10, 19, 12)); // Sunday before the change
    expect(iso(before)).toBe('2025-10-20T07:00:00.000Z');
    // Monday 20th 09:01 CEST → Monday 27th 09:00 CET: a week and an hour later.
    const after = nextDigestTime(BERLIN, utc(2025, 10, 20, 7, 1));
    expect(iso(after)).toBe('2025-10-27T08:00:00.000Z');
    expect(after - before).toBe(7 * DAY + 60 * MINUTE);
    // From the Sunday of the change itself (afternoon, CET).
    expect(iso(nextDigestTime(BERLIN, utc(2025, 10, 26, 12)))).toBe('2025-10-27T08:00:00.000Z');
    // From 02:30 on the repeated hour of the change night (the second 02:30, CET = 01:30 UTC).
    expect(iso(nextDigestTime(BERLIN, utc(2025, 10, 26, 1, 30)))).toBe('2025-10-27T08:00:00.000Z');
    // Monday 27th 08:59 CET (07:59 UTC) → that same morning; 09:01 CET → the next week.
    expect(iso(nextDigestTime(BERLIN, utc(2025, 10, 27, 7, 59)))).toBe('2025-10-27T08:00:00.000Z');
    expect(iso(nextDigestTime(BERLIN, utc(2025, 10, 27, 8, 1)))).toBe('2025-11-03T08:00:00.000Z');
    // 07:30 UTC on the 27th is 08:30 CET: before the digest although 07:00 UTC was the summer time.
    expect(iso(nextDigestTime(BERLIN, utc(2025, 10, 27, 7, 30)))).toBe('2025-10-27T08:00:00.000Z');
  });

  // Clocks go forward on Sunday 2025-03-30 at 02:00 CET → 03:00 CEST.
  it('across the start of DST in March: a week minus an hour later', () => {
    const before = nextDigestTime(BERLIN, utc(2025, 3, 23, 12));
    expect(iso(before)).toBe('2025-03-24T08:00:00.000Z');
    const after = nextDigestTime(BERLIN, utc(2025, 3, 24, 8, 1));
    expect(iso(after)).toBe('2025-03-31T07:00:00.000Z');
    expect(after - before).toBe(7 * DAY - 60 * MINUTE);
  });

  it('honours other weekdays, minutes and zones', () => {
    const friday = { weekday: 5, hour: 16, minute: 30, timeZone: 'America/New_York' };
    // Wednesday 2025-03-12; New York is on EDT (UTC−4) since 2025-03-09.
    expect(iso(nextDigestTime(friday, utc(2025, 3, 12, 12)))).toBe('2025-03-14T20:30:00.000Z');
    // Saturday: next Friday.
    expect(iso(nextDigestTime(friday, utc(2025, 3, 15, 12)))).toBe('2025-03-21T20:30:00.000Z');
    const sundayUtc = { weekday: 7, hour: 0, minute: 0, timeZone: 'UTC' };
    expect(iso(nextDigestTime(sundayUtc, utc(2025, 3, 12, 12)))).toBe('2025-03-16T00:00:00.000Z');
  });

  it('walking week by week never repeats or skips an ISO week', () => {
    let t = utc(2024, 12, 1);
    const keys: string[] = [];
    for (let i = 0; i < 60; i++) {
      t = nextDigestTime(BERLIN, t);
      keys.push(digestJobKey('T1', t, 'Europe/Berlin'));
    }
    expect(new Set(keys).size).toBe(60);
    expect(keys[0]).toBe('digest:T1:2024-W49');
    expect(keys).toContain('digest:T1:2025-W01');
    expect(keys).toContain('digest:T1:2025-W52');
    expect(keys).toContain('digest:T1:2026-W01');
  });
});

describe('digestJobKey', () => {
  it('is the workspace and the ISO week of the digest instant', () => {
    expect(digestJobKey('T1', utc(2025, 3, 10, 8), 'Europe/Berlin')).toBe('digest:T1:2025-W11');
    expect(digestJobKey('T1', utc(2025, 10, 27, 8), 'Europe/Berlin')).toBe('digest:T1:2025-W44');
    expect(digestJobKey('T2', utc(2025, 10, 27, 8), 'Europe/Berlin')).toBe('digest:T2:2025-W44');
  });

  it('uses the ISO week-numbering year, not the calendar year', () => {
    // Monday 2024-12-30 is in ISO week 1 of 2025; Sunday 2027-01-03 in week 53 of 2026.
    expect(digestJobKey('T1', utc(2024, 12, 30, 8), 'Europe/Berlin')).toBe('digest:T1:2025-W01');
    expect(digestJobKey('T1', utc(2027, 1, 3, 12), 'UTC')).toBe('digest:T1:2026-W53');
  });

  it('takes the week in the workspace zone: Monday 00:30 Berlin is still Sunday in UTC', () => {
    const t = utc(2025, 3, 9, 23, 30); // Monday 2025-03-10 00:30 CET
    expect(digestJobKey('T1', t, 'Europe/Berlin')).toBe('digest:T1:2025-W11');
    expect(digestJobKey('T1', t, 'UTC')).toBe('digest:T1:2025-W10');
  });

  it('is the same for any two instants in one week, so a late or repeated digest job cannot run twice', () => {
    const monday = nextDigestTime(BERLIN, utc(2025, 3, 9, 12));
    expect(digestJobKey('T1', monday, 'Europe/Berlin')).toBe(digestJobKey('T1', monday + 3 * DAY + 5 * 60 * MINUTE, 'Europe/Berlin'));
    expect(digestJobKey('T1', monday, 'Europe/Berlin')).not.toBe(digestJobKey('T1', monday + 7 * DAY, 'Europe/Berlin'));
    expect(isoWeekLabel(monday, 'Europe/Berlin')).toBe('2025-W11');
  });
});

describe('parseDigestSchedule', () => {
  it("accepts 'monday 09:00 Europe/Berlin'", () => {
    expect(parseDigestSchedule(['monday', '09:00', 'Europe/Berlin'])).toEqual({ weekday: 1, hour: 9, minute: 0, timeZone: 'Europe/Berlin' });
  });

  it('accepts any case, single-digit hours and defaults the zone to UTC', () => {
    expect(parseDigestSchedule(['Sunday', '7:45', 'America/New_York'])).toEqual({ weekday: 7, hour: 7, minute: 45, timeZone: 'America/New_York' });
    expect(parseDigestSchedule(['FRIDAY', '23:59'])).toEqual({ weekday: 5, hour: 23, minute: 59, timeZone: 'UTC' });
  });

  it('rejects a bad weekday, naming it', () => {
    const m = parseDigestSchedule(['funday', '09:00', 'Europe/Berlin']);
    expect(typeof m).toBe('string');
    expect(m).toContain('"funday" is not a weekday');
    expect(m).toContain('monday');
    expect(parseDigestSchedule(['mon', '09:00'])).toContain('"mon" is not a weekday');
    expect(parseDigestSchedule([])).toContain('is not a weekday');
  });

  it('rejects a bad time, naming it', () => {
    for (const time of ['25:00', '09:60', '9am', '0900', '09:0', '']) {
      const m = parseDigestSchedule(['monday', time, 'Europe/Berlin']);
      expect(typeof m).toBe('string');
      expect(m).toContain(`"${time}" is not a time`);
      expect(m).toContain('HH:MM');
    }
    expect(parseDigestSchedule(['monday'])).toContain('"" is not a time');
  });

  it('rejects a bad zone, naming it', () => {
    for (const zone of ['Mars/Olympus', 'Berlin', 'CET+25']) {
      const m = parseDigestSchedule(['monday', '09:00', zone]);
      expect(typeof m).toBe('string');
      expect(m).toContain(`"${zone}" is not a time zone`);
      expect(m).toContain('Europe/Berlin');
    }
  });
});
