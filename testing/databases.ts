// Fresh, private databases for a test file on the shared test services, dropped afterwards, so
// test files can run in parallel without seeing each other's rows.
import { randomBytes } from 'node:crypto';
import { createPostgresDatabase, dropPostgresDatabase } from '../storage/metadata/testing/scratch-databases.ts';
import { createInfluxDatabase, dropInfluxDatabase } from '../storage/readings/testing/scratch-influx-databases.ts';
import { testServices } from './inject.ts';

const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export async function freshPostgresDatabase(
  adminUrl = testServices().databaseUrl,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName('ontap_t');
  const url = await createPostgresDatabase(adminUrl, name);
  return { url, drop: () => dropPostgresDatabase(adminUrl, name) };
}

export async function freshInfluxDatabase(
  url = testServices().influxUrl,
): Promise<{ url: string; database: string; drop: () => Promise<void> }> {
  const database = uniqueName('ontap_t');
  await createInfluxDatabase(url, database);
  return { url, database, drop: () => dropInfluxDatabase(url, database) };
}
