import { describe, expect, it } from 'vitest';
import { addDays, dateRange, localDate, localDayBounds, localParts, startOfLocalDay, utcOffsetMinutes } from './time.ts';

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
