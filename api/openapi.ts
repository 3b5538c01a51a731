// npm run openapi — writes api/openapi.json, the OpenAPI document generated from the routes' zod
// schemas, and the dashboard's client types generated from it. Both are committed so clients can
// be generated from the document; openapi.test.ts fails when either drifts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate, openDatabase } from '../storage/metadata/database.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { buildApp } from './app.ts';
import { type OpenApiDocument, openApiTypes } from './openapi-types.ts';

export const openApiFile = join(import.meta.dirname, 'openapi.json');
/** The dashboard's client types, generated from the document (openapi-types.ts). */
export const apiTypesFile = join(import.meta.dirname, '..', 'dashboard', 'src', 'api', 'openapi.ts');

export const generateApiTypes = (document: string): string =>
  openApiTypes(JSON.parse(document) as OpenApiDocument, 'api/openapi.json');

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
  const document = await generateOpenApi();
  await writeFile(openApiFile, document);
  await writeFile(apiTypesFile, generateApiTypes(document));
  console.log(`wrote ${openApiFile} and ${apiTypesFile}`);
}
