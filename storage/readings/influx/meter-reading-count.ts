// How many of a meter's readings InfluxDB answers for in a time range: what the ingest bench polls
// to see when a published reading became queryable.
import type { InfluxHttp } from './influx-http.ts';
import { quoteString, timeLiteral } from './influxql.ts';

export async function countMeterReadings(influx: InfluxHttp, meterId: string, from: number, to: number): Promise<number> {
  const [series = []] = await influx.query(
    `SELECT count("register") FROM "reading" WHERE "meter" = ${quoteString(meterId)} AND time >= ${timeLiteral(from)} AND time < ${timeLiteral(to)}`,
  );
  return Number(series[0]?.values[0]?.[1] ?? 0);
}
