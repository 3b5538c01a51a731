// Fresh, private databases for a test file on the shared test services, dropped afterwards, so
// test files can run in parallel without seeing each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { InfluxHttp } from '../storage/readings/influx/influx-http.ts';
import { quoteIdentifier } from '../storage/readings/influx/influxql.ts';
import { testServices } from './inject.ts';

const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export async function freshPostgresDatabase(
  adminUrl = testServices().databaseUrl,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName('ontap_t');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function freshInfluxDatabase(
  url = testServices().influxUrl,
): Promise<{ url: string; database: string; drop: () => Promise<void> }> {
  const database = uniqueName('ontap_t');
  const http = new InfluxHttp({ url, database });
  await http.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
  return { url, database, drop: async () => void (await http.query(`DROP DATABASE ${quoteIdentifier(database)}`)) };
}
