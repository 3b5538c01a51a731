// Calendar days in the neighbourhood's time zone. A "day" is local midnight to local midnight,
// so DST days last 23 or 25 hours. Pure functions over epoch milliseconds.

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * `name` when it is an IANA time zone Intl knows, in Intl's capitals when only they differ
 * ("europe/london" → "Europe/London"; a link such as "Europe/Kiev" stays itself); undefined for
 * anything else, a UTC offset such as "+01:00" included.
 */
export function ianaTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-GB', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function localParts(epochMs: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays[parts.weekday as string] ?? 0,
  };
}

/** Minutes the zone is ahead of UTC at that instant (Europe/London: 0 or 60). */
export function utcOffsetMinutes(epochMs: number, timeZone: string): number {
  const p = localParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - (epochMs - (epochMs % 1000))) / 60000);
}

/** A local calendar date as YYYY-MM-DD. */
export type LocalDate = string;

/** Local dates from `from` to `to`, both included. */
export interface DateWindow {
  from: LocalDate;
  to: LocalDate;
}

// Dates far from now are mistakes or probes, and JavaScript's Date arithmetic breaks on some
// (years 0–99 become 1900–1999, years past 9999 print as +010000): OnTap's dates stay in this range.
export const DATE_RANGE = { from: '2000-01-01', to: '2100-12-31' } as const;
export const inDateRange = (date: LocalDate) => date >= DATE_RANGE.from && date <= DATE_RANGE.to;

export function localDate(epochMs: number, timeZone: string): LocalDate {
  const p = localParts(epochMs, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The first instant of the given local date: local midnight, or, where the clocks jump over
 * midnight (America/Santiago on 2022-09-11, America/Havana on 2024-03-10), the instant of the jump.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Usually two passes of the offset settle it; checked, since midnight may not exist that day.
  let guess = utcMidnight - utcOffsetMinutes(utcMidnight, timeZone) * 60000;
  guess = utcMidnight - utcOffsetMinutes(guess, timeZone) * 60000;
  if (localDate(guess, timeZone) === date && localDate(guess - 1, timeZone) < date) return guess;
  // The first minute whose local date is `date`: zones are at most 14 hours from UTC, and
  // transitions fall on whole minutes.
  let low = Math.floor((utcMidnight - 15 * 3_600_000) / 60_000);
  let high = Math.ceil((utcMidnight + 15 * 3_600_000) / 60_000);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (localDate(middle * 60_000, timeZone) >= date) high = middle;
    else low = middle + 1;
  }
  return low * 60_000;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/** Local dates from `from` to `to` inclusive. */
export function dateRange(from: LocalDate, to: LocalDate): LocalDate[] {
  const dates: LocalDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** [start, end) instants of a local day: 23, 24 or 25 hours. */
export function localDayBounds(date: LocalDate, timeZone: string): [number, number] {
  return [startOfLocalDay(date, timeZone), startOfLocalDay(addDays(date, 1), timeZone)];
}

/** Edges of the local days from `from` to `to` inclusive: n + 1 instants for n days. */
export function localDayEdges(from: LocalDate, to: LocalDate, timeZone: string): number[] {
  return [...dateRange(from, to), addDays(to, 1)].map((date) => startOfLocalDay(date, timeZone));
}

/** Edges of the local clock hours of those days (23, 24 or 25 per day across DST changes). */
export function localHourEdges(from: LocalDate, to: LocalDate, timeZone: string): number[] {
  const days = localDayEdges(from, to, timeZone);
  const edges: number[] = [];
  for (let d = 0; d + 1 < days.length; d++) {
    for (let t = days[d] as number; t < (days[d + 1] as number); t += 3_600_000) edges.push(t);
  }
  edges.push(days[days.length - 1] as number);
  return edges;
}

/** The earlier of two local dates (ISO dates compare as strings). */
export const earlierDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b);
export const laterDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
