// The Database wrapper against the real PostgreSQL: a listener survives its connection being cut
// (after a database restart, a separate ingest once never heard of an erasure again).
import { describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../testing/databases.ts';
import { LISTEN_RESUMED, openDatabase } from './database.ts';

describe('PostgreSQL listeners', () => {
  it('come back after their connection is cut, say so, and hear what is notified afterwards', { timeout: 60_000 }, async () => {
    const postgres = await freshPostgresDatabase();
    const db = await openDatabase(postgres.url);
    try {
      const heard: string[] = [];
      const stop = await db.listen('ontap_test_channel', (payload) => heard.push(payload));
      await db.query("SELECT pg_notify('ontap_test_channel', 'before')");
      await expect.poll(() => heard).toStrictEqual(['before']);
      // What a database restart does to the listening session.
      await db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
      );
      await expect.poll(() => heard, { timeout: 20_000 }).toStrictEqual(['before', LISTEN_RESUMED]);
      await db.query("SELECT pg_notify('ontap_test_channel', 'after')");
      await expect.poll(() => heard, { timeout: 10_000 }).toStrictEqual(['before', LISTEN_RESUMED, 'after']);
      await stop();
    } finally {
      await db.close();
      await postgres.drop();
    }
  });
});
