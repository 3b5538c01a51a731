// Whether the metadata database answers.
import type { Queryable } from '../database.ts';

export async function ping(q: Queryable): Promise<void> {
  await q.query('SELECT 1');
}
