// Figures and dates as a resident reads them, in the catalog's language.
import { formatNumber, t } from './i18n.ts';

/** A calendar date (YYYY-MM-DD) written out: "Monday 16 November 2026". */
export function longDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  // Noon UTC: the same calendar day in every zone the formatter might use.
  return new Intl.DateTimeFormat(language(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(year, month - 1, day, 12));
}

/** A saving as a share: "12.3% less", or, when more was used, "7.1% more". */
export function savingText(saving: number): string {
  const value = formatNumber(Math.abs(saving) * 100, 1);
  return saving >= 0 ? t('saving.less', { value }) : t('saving.more', { value });
}

export type Kind = 'water' | 'electricity' | 'gas';

/** The API's base units (litres, watt-hours) in the unit people read: litres, kilowatt-hours. */
export const toDisplay = (value: number, kind: Kind) => (kind === 'water' ? value : value / 1000);

/** The unit a kind is shown in ("L", "kWh"). */
export const unitOf = (kind: Kind) => (kind === 'water' ? t('unit.litres') : t('unit.kwh'));

/** An amount with its unit: "1,234 L", "8.4 L", "12.35 kWh". */
export function amount(value: number, kind: Kind): string {
  const shown = toDisplay(value, kind);
  const digits = kind === 'water' ? (Math.abs(shown) < 10 ? 1 : 0) : Math.abs(shown) < 10 ? 2 : 1;
  return `${formatNumber(shown, digits)} ${unitOf(kind)}`;
}

const language = () => document.documentElement.lang || 'en';

/** A day of the week and month, short: "Mon 16 Nov". */
export const shortDate = (isoDate: string) => {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(language(), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    Date.UTC(year, month - 1, day, 12),
  );
};

/** A clock time in a zone: "14:05". */
export const clockTime = (instant: string | number, timeZone: string) =>
  new Intl.DateTimeFormat(language(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    new Date(instant),
  );

/** When something happened, in words: "at 14:05 today", "on Mon 16 Nov at 09:30". */
export function whenText(instant: string, timeZone: string): string {
  const date = localDate(Date.parse(instant), timeZone);
  const time = clockTime(instant, timeZone);
  return date === localDate(Date.now(), timeZone) ? t('when.today', { time }) : t('when.day', { date: shortDate(date), time });
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export const localDate = (instant: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);

/** A calendar date `days` later (or earlier). */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
