// When a workspace's weekly digest falls, in its own time zone, and the job key that makes it run
// once per ISO week.
import { DateTime } from 'luxon';
import type { DigestSettings } from '../store/types.js';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export function isoWeekLabel(epochMs: number, timeZone: string): string {
  const d = DateTime.fromMillis(epochMs, { zone: timeZone });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/** The digest instant in the ISO week containing `epochMs` (in the workspace's zone). */
export function digestTimeInWeek(s: Pick<DigestSettings, 'weekday' | 'hour' | 'minute' | 'timeZone'>, epochMs: number): number {
  return DateTime.fromMillis(epochMs, { zone: s.timeZone })
    .set({ weekday: s.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7, hour: s.hour, minute: s.minute, second: 0, millisecond: 0 })
    .toMillis();
}

/** The first digest instant strictly after `now`. */
export function nextDigestTime(s: Pick<DigestSettings, 'weekday' | 'hour' | 'minute' | 'timeZone'>, now: number): number {
  const thisWeek = digestTimeInWeek(s, now);
  if (thisWeek > now) return thisWeek;
  return digestTimeInWeek(s, DateTime.fromMillis(now, { zone: s.timeZone }).plus({ weeks: 1 }).toMillis());
}

export function digestJobKey(workspace: string, dueAt: number, timeZone: string): string {
  return `digest:${workspace}:${isoWeekLabel(dueAt, timeZone)}`;
}

/** "monday 09:00 Europe/Berlin" → settings, or a message saying what was expected. */
export function parseDigestSchedule(words: string[]): Omit<DigestSettings, 'channel'> | string {
  const [day, time, tz] = words;
  const weekday = WEEKDAYS.indexOf((day ?? '').toLowerCase() as (typeof WEEKDAYS)[number]) + 1;
  if (weekday === 0) return `"${day ?? ''}" is not a weekday; expected one of ${WEEKDAYS.join(', ')}.`;
  const m = /^(\d{1,2}):(\d{2})$/.exec(time ?? '');
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return `"${time ?? ''}" is not a time; expected HH:MM such as 09:00.`;
  const timeZone = tz ?? 'UTC';
  if (!DateTime.local().setZone(timeZone).isValid) return `"${timeZone}" is not a time zone; expected an IANA name such as Europe/Berlin.`;
  return { weekday, hour: Number(m[1]), minute: Number(m[2]), timeZone };
}
