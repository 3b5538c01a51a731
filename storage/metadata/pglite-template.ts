// A new embedded database, ready-made. PGlite's initdb takes about five seconds; a migrated, empty
// database kept as a tarball loads in about one, so a first `ontap start` is ready in seconds.
// `npm install` writes it (the `prepare` script runs this file); without it a database is made
// from nothing, as before. The name holds PGlite's version and a hash of the migrations, so an
// upgrade or a new migration never loads a stale one (migrations still run after loading).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metadataMigrations, migrate, PgliteDatabase } from './database.ts';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function templateName(): string {
  // Its package.json is not exported: read it beside the package.
  const pglite = JSON.parse(readFileSync(join(repoDir, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as {
    version: string;
  };
  const hash = createHash('sha256');
  for (const file of readdirSync(metadataMigrations.dir).sort())
    hash.update(file).update(readFileSync(join(metadataMigrations.dir, file)));
  return `pglite-${pglite.version}-${hash.digest('hex').slice(0, 12)}.tar.gz`;
}

export const pgliteTemplateFile = (): string => join(repoDir, 'node_modules', '.cache', 'ontap', templateName());

/** The template, when `npm install` made one for this PGlite and these migrations. */
export function readPgliteTemplate(): Blob | undefined {
  const file = pgliteTemplateFile();
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/** Makes the template: a database in memory, migrated, dumped. */
export async function writePgliteTemplate(): Promise<string> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create();
  await migrate(new PgliteDatabase(pglite));
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  const file = pgliteTemplateFile();
  mkdirSync(dirname(file), { recursive: true });
  // Written whole or not at all: a half-written tarball would be loaded by the next start.
  writeFileSync(`${file}.partial`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${file}.partial`, file);
  return file;
}

if (import.meta.main) console.log(`wrote ${await writePgliteTemplate()}`);
