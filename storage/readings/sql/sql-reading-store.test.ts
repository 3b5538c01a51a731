import { freshPostgresDatabase } from '../../../testing/databases.ts';
import { migrate, openDatabase } from '../../metadata/database.ts';
import { describeReadingStoreContract } from '../reading-store.contract.ts';
import { SqlReadingStore } from './sql-reading-store.ts';

describeReadingStoreContract('PGlite (embedded)', async () => {
  const db = await openDatabase('pglite:memory');
  await migrate(db);
  return { store: await SqlReadingStore.open(db), cleanup: () => db.close() };
});

describeReadingStoreContract('PostgreSQL', async () => {
  const { url, drop } = await freshPostgresDatabase();
  const db = await openDatabase(url);
  return {
    store: await SqlReadingStore.open(db),
    cleanup: async () => {
      await db.close();
      await drop();
    },
  };
});
