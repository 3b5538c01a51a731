// CSV as RFC 4180 writes it: a field holding a comma, a double quote or a line break is quoted,
// its quotes doubled; empty for null. Lines end with CRLF, the RFC's (and Table Dialect's) default.

export type CsvValue = string | number | null;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows as one CSV text, each line (the last too) ended by `lineEnd`. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvValue[])[], lineEnd = '\r\n'): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}${lineEnd}`).join('');
}
