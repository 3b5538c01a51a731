// Numbers people read: litres and kWh with sensible rounding; dates in the neighbourhood's time zone.
const number = (value, digits = 0) =>
  new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);

/** Base units (litres, watt-hours) to what people read. */
export function amount(value, kind) {
  if (value === null || value === undefined) return '—';
  if (kind === 'water') return `${number(value, value < 10 ? 1 : 0)} L`;
  const kwh = value / 1000;
  return `${number(kwh, kwh < 10 ? 2 : 1)} kWh`;
}

export const unitOf = (kind) => (kind === 'water' ? 'litres' : 'kWh');
export const toDisplay = (value, kind) => (kind === 'water' ? value : value / 1000);
export const percent = (fraction) => (fraction === null || fraction === undefined ? '—' : `${number(fraction * 100, 1)}%`);

export function dateLabel(iso, timeZone, withTime = false) {
  const options = withTime
    ? { hour: '2-digit', minute: '2-digit', timeZone }
    : { weekday: 'short', day: 'numeric', month: 'short', timeZone };
  return new Intl.DateTimeFormat('en-GB', options).format(new Date(iso));
}

export const longDate = (date) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );

/** Today's date (YYYY-MM-DD) in a time zone. */
export function today(timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
  return parts;
}

export function addDays(date, days) {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}
