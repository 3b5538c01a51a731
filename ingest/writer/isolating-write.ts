// Writing a batch so that one bad item can neither stop ingest nor be retried forever, while an
// outage of the store loses nothing (the batch waits in the spool and is retried).
//
// A failed write is one of two things: the store is away or overloaded (wait and retry the whole
// batch, for as long as it takes), or the store refuses something in the batch (find the items
// it refuses, set them aside, write the rest). Errors that say which (a PostgreSQL data
// exception, an InfluxDB 400) are acted on at once; any other error is retried a few times and
// then the store is asked whether it is there at all (`probe`). The batch is halved until each
// refused item stands alone. An item is set aside only when the store took other writes during
// that search, or refused it with an error about data: a store that takes nothing is an outage,
// never a reason to drop anything.
import { InfluxHttpError } from '../../storage/readings/influx/influx-http.ts';
import { StoreRefusedError } from '../../storage/readings/reading-store.ts';

export { StoreRefusedError };

export type StoreFailure = 'refused' | 'transient' | 'unknown';

/** PostgreSQL SQLSTATE classes about the data written: 22 data exception, 23 integrity constraint. */
const DATA_ERROR_CLASSES = new Set(['22', '23']);
/** Connection, resources, operator intervention, transaction rollback (serialization, deadlock), lock, system. */
const TRANSIENT_CLASSES = new Set(['08', '53', '57', '40', '55', '58']);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function classifyStoreFailure(error: unknown): StoreFailure {
  if (error instanceof StoreRefusedError) return 'refused';
  if (error instanceof InfluxHttpError) {
    // 400: bad point, type conflict; 413: body too large (halving helps). Others — 404 while
    // InfluxDB starts, 401/403 until an operator mends a token, 5xx — are about the server.
    return error.status === 400 || error.status === 413 ? 'refused' : 'transient';
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'transient';
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  for (const value of [code, causeCode]) {
    if (typeof value !== 'string') continue;
    if (TRANSIENT_NETWORK_CODES.has(value)) return 'transient';
    if (/^[0-9A-Z]{5}$/.test(value)) {
      if (DATA_ERROR_CLASSES.has(value.slice(0, 2))) return 'refused';
      if (TRANSIENT_CLASSES.has(value.slice(0, 2))) return 'transient';
    }
  }
  return 'unknown';
}

export interface IsolatingWrite<T> {
  /** Writes items; throws when the store did not take them. */
  write(items: readonly T[]): Promise<void>;
  /** Resolves when the store answers at all. */
  probe(): Promise<void>;
  /** An item the store refuses for good: dead-letter it, count it. */
  refused(item: T, error: unknown): void;
  /** Each failed attempt (metrics, health, a log line). */
  failed(error: unknown, attempt: number): void;
  /** Waits before the next attempt; rejects when ingest is stopping (the batch stays in the spool). */
  wait(attempt: number): Promise<void>;
  /** Failed attempts of a whole batch before the store is probed and the batch halved (default 3). */
  attemptsBeforeSplit?: number;
}

interface Search<T> {
  /** Writes tried so far in this search, and the number of the last that succeeded. */
  writes: number;
  lastWritten: number;
  /** Refused with an error about data. */
  refused: { item: T; error: unknown }[];
  /** Failed alone with an error that does not say why, at write number `at`. */
  suspects: { item: T; error: unknown; at: number }[];
}

/** The store went away during a search: nothing found in it counts, the batch is retried whole. */
class StoreWentAway extends Error {}

export async function writeIsolating<T>(items: readonly T[], io: IsolatingWrite<T>): Promise<void> {
  if (items.length === 0) return;
  const attemptsBeforeSplit = io.attemptsBeforeSplit ?? 3;
  for (let attempt = 0; ; attempt++) {
    let failure: unknown;
    try {
      await io.write(items);
      return;
    } catch (error) {
      failure = error;
      io.failed(error, attempt);
    }
    const refusedData = classifyStoreFailure(failure) === 'refused';
    if (refusedData || (attempt + 1 >= attemptsBeforeSplit && (await answers(io)))) {
      const search: Search<T> = { writes: 0, lastWritten: -1, refused: [], suspects: [] };
      try {
        await findRefused(items, io, search);
        // A suspect is refused only if the store took a write after it failed: else it may be the
        // store that fails (a connection lost with no code), and the whole batch is retried later.
        if (search.suspects.every((suspect) => search.lastWritten > suspect.at)) {
          for (const { item, error } of [...search.refused, ...search.suspects]) io.refused(item, error);
          return;
        }
      } catch (error) {
        if (!(error instanceof StoreWentAway)) throw error;
      }
    }
    await io.wait(attempt);
  }
}

async function answers(io: IsolatingWrite<unknown>): Promise<boolean> {
  try {
    await io.probe();
    return true;
  } catch {
    return false;
  }
}

/** Halves `items` until each part is written or is one item that failed alone; gives up when the store goes away. */
async function findRefused<T>(items: readonly T[], io: IsolatingWrite<T>, search: Search<T>): Promise<void> {
  const half = Math.ceil(items.length / 2);
  const parts = items.length === 1 ? [items] : [items.slice(0, half), items.slice(half)];
  for (const part of parts) {
    const at = search.writes++;
    try {
      await io.write(part);
      search.lastWritten = at;
    } catch (error) {
      io.failed(error, 0);
      const kind = classifyStoreFailure(error);
      // A connection lost or a timeout is never held against an item. If the store no longer
      // answers, it went away and nothing found counts; if it does, a part of several items may
      // just be too big or slow for it: halve on.
      if (kind === 'transient' && (part.length === 1 || !(await answers(io)))) throw new StoreWentAway();
      if (part.length > 1) await findRefused(part, io, search);
      else if (kind === 'refused') search.refused.push({ item: part[0] as T, error });
      else search.suspects.push({ item: part[0] as T, error, at });
    }
  }
}
