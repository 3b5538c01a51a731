// Naive local times ("2019-02-13T10:00:00", no offset) as instants in a time zone.
import { utcOffsetMinutes } from '../../lib/time.ts';

export function localTimeToInstant(text: string, timeZone: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const naive = Date.UTC(y as number, (mo as number) - 1, d as number, h as number, mi as number, s as number);
  // Two passes settle the offset at that local time (DST changes included, except the skipped hour).
  let guess = naive - utcOffsetMinutes(naive, timeZone) * 60_000;
  guess = naive - utcOffsetMinutes(guess, timeZone) * 60_000;
  return guess;
}
