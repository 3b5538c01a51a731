// Safe pieces of InfluxQL. Nothing reaches a query string except through these.
// https://docs.influxdata.com/influxdb/v1/query_language/spec/#identifiers and #strings

/** A double-quoted identifier (database, measurement, tag or field key). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A single-quoted string literal (tag values in WHERE clauses). */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A time literal: RFC 3339 string, which InfluxQL compares exactly. */
export function timeLiteral(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not a time: ${epochMs}`);
  return quoteString(new Date(epochMs).toISOString());
}
