// The message catalog in use and formatting in the reader's language. English ships; a second
// language is a file typed `Messages` added to `catalogs`.
import { en, type MessageKey, type Messages } from './en.ts';

const catalogs: Record<string, Messages> = { en };

function chosenLanguage(): string {
  const wanted = [document.documentElement.lang, ...navigator.languages].map((tag) => tag?.split('-')[0] ?? '');
  return wanted.find((language) => language in catalogs) ?? 'en';
}

const language = chosenLanguage();
const catalog: Messages = catalogs[language] ?? en;

/** The message `key` with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  // Keys built from an API value (a status, a reason) may meet a value newer than this catalog:
  // the page goes on, with the key in place of the words.
  const message = catalog[key] ?? en[key] ?? key;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export const hasMessage = (key: string): key is MessageKey => key in catalog;

/** Numbers as the reader writes them (1,234.5 or 1 234,5). */
export const formatNumber = (value: number, digits = 0) =>
  new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);

const plurals = new Intl.PluralRules(language);

/** A message that depends on a count: `key.one`, `key.other` (and whatever else the language has). */
export function tn(key: string, count: number, values: Record<string, string | number> = {}): string {
  const form = `${key}.${plurals.select(count)}`;
  return t((hasMessage(form) ? form : `${key}.other`) as MessageKey, { count, ...values });
}
