import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateRange,
  ianaTimeZone,
  localDate,
  localDayBounds,
  localParts,
  startOfLocalDay,
  utcOffsetMinutes,
} from './time.ts';

const london = 'Europe/London';
const hour = 3600_000;

describe('local days in Europe/London', () => {
  it('knows BST and GMT', () => {
    expect(utcOffsetMinutes(Date.UTC(2026, 0, 15, 12), london)).toBe(0);
    expect(utcOffsetMinutes(Date.UTC(2026, 6, 15, 12), london)).toBe(60);
  });
  it('starts a summer day at 23:00 UTC the evening before', () => {
    expect(startOfLocalDay('2026-07-15', london)).toBe(Date.UTC(2026, 6, 14, 23));
    expect(localDate(Date.UTC(2026, 6, 14, 23, 30), london)).toBe('2026-07-15');
  });
  it('has a 23-hour day when clocks go forward (29 March 2026) and a 25-hour one when they go back (25 October 2026)', () => {
    const [springStart, springEnd] = localDayBounds('2026-03-29', london);
    expect(springStart).toBe(Date.UTC(2026, 2, 29, 0));
    expect(springEnd - springStart).toBe(23 * hour);
    const [autumnStart, autumnEnd] = localDayBounds('2026-10-25', london);
    expect(autumnStart).toBe(Date.UTC(2026, 9, 24, 23));
    expect(autumnEnd - autumnStart).toBe(25 * hour);
  });
  it('gives weekday and hour', () => {
    expect(localParts(Date.UTC(2026, 10, 22, 9, 5), london)).toMatchObject({ weekday: 0, hour: 9, minute: 5 });
  });
  it('counts dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(dateRange('2026-12-30', '2027-01-02')).toStrictEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });
  it('works in other zones (New York)', () => {
    expect(startOfLocalDay('2026-07-04', 'America/New_York')).toBe(Date.UTC(2026, 6, 4, 4));
  });
});

describe('local days in every time zone', () => {
  it('starts a day at the jump where the clocks skip midnight (Santiago 2022-09-11, Havana 2024-03-10)', () => {
    // Santiago went from 00:00 -04 to 01:00 -03: the day began at 04:00 UTC and lasted 23 hours.
    const [start, end] = localDayBounds('2022-09-11', 'America/Santiago');
    expect(start).toBe(Date.UTC(2022, 8, 11, 4));
    expect(localDate(start, 'America/Santiago')).toBe('2022-09-11');
    expect(localDate(start - 1, 'America/Santiago')).toBe('2022-09-10');
    expect(end - start).toBe(23 * hour);
    // Havana went from 00:00 -05 to 01:00 -04.
    const [havana] = localDayBounds('2024-03-10', 'America/Havana');
    expect(havana).toBe(Date.UTC(2024, 2, 10, 5));
  });

  it('is right for every zone on every day whose UTC offset changes, 2022–2026', () => {
    // A day's start: its local date is that day, and a millisecond before it is the day before.
    const wrong: string[] = [];
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      let previousOffset = utcOffsetMinutes(Date.UTC(2021, 11, 31, 12), zone);
      for (let date = '2022-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
        const [y, m, d] = date.split('-').map(Number) as [number, number, number];
        const offset = utcOffsetMinutes(Date.UTC(y, m - 1, d, 12), zone);
        if (offset === previousOffset) continue;
        previousOffset = offset;
        for (const day of [addDays(date, -1), date, addDays(date, 1)]) {
          const [start, end] = localDayBounds(day, zone);
          if (
            localDate(start, zone) !== day ||
            localDate(start - 1, zone) >= day ||
            end - start < 20 * hour ||
            end - start > 27 * hour
          )
            wrong.push(`${zone} ${day}`);
        }
      }
    }
    expect(wrong).toStrictEqual([]);
  });
});

describe('ianaTimeZone', () => {
  it('keeps an IANA zone Intl knows, in its capitals', () => {
    expect(ianaTimeZone('Europe/London')).toBe('Europe/London');
    expect(ianaTimeZone('europe/london')).toBe('Europe/London');
    expect(ianaTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(ianaTimeZone('Europe/Kiev')).toBe('Europe/Kiev');
    expect(ianaTimeZone('utc')).toBe('UTC');
  });

  it('refuses offsets, unknown zones and anything that is not a zone name', () => {
    for (const name of [
      '+01:00',
      '-0500',
      'Mars/Olympus_Mons',
      'Europe/London\u0000',
      ' Europe/London',
      '',
      'Europe/London/'.repeat(10),
    ])
      expect(ianaTimeZone(name), name).toBeUndefined();
  });
});
