// npm run openapi — writes api/openapi.json, the OpenAPI document generated from the routes' zod
// schemas. It is committed so clients can be generated from it; openapi.test.ts fails when it drifts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate, openDatabase } from '../storage/metadata/database.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { buildApp } from './app.ts';

export const openApiFile = join(import.meta.dirname, 'openapi.json');

export async function generateOpenApi(): Promise<string> {
  const db = await openDatabase('pglite:memory');
  await migrate(db);
  const app = await buildApp({ db, store: await SqlReadingStore.open(db) });
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  await db.close();
  return document;
}

if (import.meta.main) {
  await writeFile(openApiFile, await generateOpenApi());
  console.log(`wrote ${openApiFile}`);
}
