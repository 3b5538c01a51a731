// Figures and dates as a resident reads them, in the catalog's language.
import { formatNumber, t } from './i18n.ts';

/** A calendar date (YYYY-MM-DD) written out: "Monday 16 November 2026". */
export function longDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  // Noon UTC: the same calendar day in every zone the formatter might use.
  return new Intl.DateTimeFormat(document.documentElement.lang || 'en', {
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
