// The InfluxQL the services smoke test reads a written point back with.
import { quoteString } from '../influx/influxql.ts';

/** The `litres` field of the `usage` points of one meter. */
export const litresOfMeter = (meterId: string) => `SELECT "litres" FROM "usage" WHERE "meter" = ${quoteString(meterId)}`;
