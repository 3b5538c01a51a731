// Creating and dropping whole InfluxDB databases (tests and benches give each run its own).
import { InfluxHttp } from '../influx/influx-http.ts';
import { quoteIdentifier } from '../influx/influxql.ts';

export async function createInfluxDatabase(url: string, database: string): Promise<void> {
  await new InfluxHttp({ url, database }).query(`CREATE DATABASE ${quoteIdentifier(database)}`);
}

export async function dropInfluxDatabase(url: string, database: string): Promise<void> {
  await new InfluxHttp({ url, database }).query(`DROP DATABASE ${quoteIdentifier(database)}`);
}
