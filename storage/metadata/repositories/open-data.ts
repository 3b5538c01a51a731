// Open-data releases (migration 018): numbered within their neighbourhood, their files kept as
// published; a withdrawn release keeps its row (the tombstone) and loses its files.
import type { Database, Queryable } from '../database.ts';
import { lockNeighbourhood } from './neighbourhoods.ts';

export interface OpenDataFile {
  name: string;
  mediaType: string;
  content: string;
}

export interface StoredRelease {
  neighbourhoodId: string;
  number: number;
  title: string;
  licence: string;
  from: string;
  to: string;
  publishedAt: Date;
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
}

const RELEASE_COLUMNS = `neighbourhood_id AS "neighbourhoodId", number, title, licence,
  to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to",
  published_at AS "publishedAt", withdrawn_at AS "withdrawnAt", withdrawn_reason AS "withdrawnReason"`;

/**
 * Stores a release with its files under the next number of its neighbourhood (one after the
 * other: the neighbourhood's row is held until the transaction ends). `files` is given the number,
 * since a package's name and its links carry it.
 */
export async function insertRelease(
  db: Database,
  release: {
    neighbourhoodId: string;
    title: string;
    licence: string;
    from: string;
    to: string;
    decidedBy: string | null;
    publishedAt: Date;
  },
  files: (number: number) => readonly OpenDataFile[],
): Promise<StoredRelease> {
  return db.transaction(async (tx) => {
    await lockNeighbourhood(tx, release.neighbourhoodId);
    const [next] = await tx.query<{ number: number }>(
      'SELECT COALESCE(max(number), 0)::int + 1 AS number FROM open_data_releases WHERE neighbourhood_id = $1',
      [release.neighbourhoodId],
    );
    const number = next?.number ?? 1;
    const [stored] = await tx.query<StoredRelease>(
      `INSERT INTO open_data_releases (neighbourhood_id, number, title, licence, from_date, to_date, decided_by, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${RELEASE_COLUMNS}`,
      [
        release.neighbourhoodId,
        number,
        release.title,
        release.licence,
        release.from,
        release.to,
        release.decidedBy,
        release.publishedAt,
      ],
    );
    const contents = files(number);
    await tx.query(
      `INSERT INTO open_data_files (neighbourhood_id, number, name, media_type, content)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[])`,
      [
        release.neighbourhoodId,
        number,
        contents.map((f) => f.name),
        contents.map((f) => f.mediaType),
        contents.map((f) => f.content),
      ],
    );
    return stored as StoredRelease;
  });
}

/** The neighbourhood's releases, withdrawn ones too, newest first. */
export async function releasesOf(q: Queryable, neighbourhoodId: string): Promise<StoredRelease[]> {
  return q.query<StoredRelease>(
    `SELECT ${RELEASE_COLUMNS} FROM open_data_releases WHERE neighbourhood_id = $1 ORDER BY number DESC`,
    [neighbourhoodId],
  );
}

export async function releaseOf(q: Queryable, neighbourhoodId: string, number: number): Promise<StoredRelease | undefined> {
  const [row] = await q.query<StoredRelease>(
    `SELECT ${RELEASE_COLUMNS} FROM open_data_releases WHERE neighbourhood_id = $1 AND number = $2`,
    [neighbourhoodId, number],
  );
  return row;
}

/** The names of a release's files, in the order a package lists them (the descriptor first). */
export async function releaseFileNames(q: Queryable, neighbourhoodId: string, number: number): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    `SELECT name FROM open_data_files WHERE neighbourhood_id = $1 AND number = $2
     ORDER BY name <> 'datapackage.json', name`,
    [neighbourhoodId, number],
  );
  return rows.map((row) => row.name);
}

export async function releaseFile(
  q: Queryable,
  neighbourhoodId: string,
  number: number,
  name: string,
): Promise<OpenDataFile | undefined> {
  const [row] = await q.query<OpenDataFile>(
    `SELECT name, media_type AS "mediaType", content FROM open_data_files WHERE neighbourhood_id = $1 AND number = $2 AND name = $3`,
    [neighbourhoodId, number, name],
  );
  return row;
}

/** Withdraws a release and deletes its files; resolves false when it was withdrawn already (the first reason stays). */
export async function withdrawRelease(
  db: Database,
  neighbourhoodId: string,
  number: number,
  withdrawal: { reason: string; at: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE open_data_releases SET withdrawn_at = $4, withdrawn_reason = $3
       WHERE neighbourhood_id = $1 AND number = $2 AND withdrawn_at IS NULL RETURNING number`,
      [neighbourhoodId, number, withdrawal.reason, withdrawal.at],
    );
    if (rows.length === 0) return false;
    await tx.query('DELETE FROM open_data_files WHERE neighbourhood_id = $1 AND number = $2', [neighbourhoodId, number]);
    return true;
  });
}
