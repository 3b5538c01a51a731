// The InfluxDB v1-compatible HTTP API: line protocol to /write, InfluxQL to /query. Served by
// InfluxDB 1.x natively, 2.x through DBRP mappings and 3.x natively (Flux is not in 3.x); the
// client library's WriteApi posts to /api/v2/write, which 1.x lacks, so this sends the bytes itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { constants, gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);
/**
 * Bodies smaller than this go uncompressed: on a trickle of small batches each gzip context
 * (~300 KB of native memory, freed only at GC) cost more memory than the bytes saved.
 */
const GZIP_FROM_BYTES = 64 * 1024;

export type Precision = 'ns' | 'ms';

export interface InfluxConnection {
  url: string;
  database: string;
  /** InfluxDB 2.x/3.x token, or "user:password" for 1.x with auth. */
  token?: string;
}

export class InfluxHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(`InfluxDB answered ${status}: ${message}`);
    this.name = 'InfluxHttpError';
    this.status = status;
  }
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 5_000 };

/** Exponential backoff with full jitter, so many writers recovering at once do not stampede. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

const retriable = (error: unknown) =>
  !(error instanceof InfluxHttpError) || error.status >= 500 || error.status === 429 || error.status === 408;

export class InfluxHttp {
  readonly connection: InfluxConnection;
  readonly retry: RetryPolicy;
  /** A request InfluxDB has not answered in this time is abandoned (and retried): a hung server must not hang ingest. */
  readonly timeoutMs = 60_000;
  #headers: Record<string, string>;

  constructor(connection: InfluxConnection, retry: RetryPolicy = defaultRetryPolicy) {
    this.connection = { ...connection, url: connection.url.replace(/\/+$/, '') };
    this.retry = retry;
    this.#headers = connection.token ? { authorization: `Token ${connection.token}` } : {};
  }

  async #withRetries<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (!retriable(error) || attempt + 1 >= this.retry.attempts) throw error;
        await sleep(backoffDelay(attempt, this.retry));
      }
    }
  }

  /** Posts line protocol, gzipped, retrying transient failures. A 4xx is thrown as InfluxHttpError. */
  async write(lines: readonly string[], precision: Precision): Promise<void> {
    await this.writeText(lines.join('\n'), precision);
  }

  /** As write, with the lines already joined by newlines. */
  async writeText(lines: string, precision: Precision): Promise<void> {
    if (lines.length === 0) return;
    const text = Buffer.from(lines);
    const compress = text.length >= GZIP_FROM_BYTES;
    const body = compress ? await gzip(text, { level: constants.Z_BEST_SPEED }) : text;
    const url = `${this.connection.url}/write?db=${encodeURIComponent(this.connection.database)}&precision=${precision}`;
    await this.#withRetries(async () => {
      const response = await fetch(url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          ...this.#headers,
          'content-type': 'text/plain; charset=utf-8',
          ...(compress ? { 'content-encoding': 'gzip' } : {}),
        },
        body,
      });
      if (response.status !== 204) throw new InfluxHttpError(response.status, await errorText(response));
      // Free the connection now rather than at garbage collection.
      await response.body?.cancel();
    });
  }

  /** Resolves when InfluxDB answers /ping (no retries: it tells an outage). */
  async ping(): Promise<void> {
    const answer = await fetch(`${this.connection.url}/ping`, { headers: this.#headers, signal: AbortSignal.timeout(5_000) });
    await answer.body?.cancel();
    if (answer.status !== 204 && answer.status !== 200) throw new InfluxHttpError(answer.status, 'ping');
  }

  /** Runs InfluxQL (built only from ./influxql.ts pieces) and returns each statement's series. */
  async query(influxql: string): Promise<InfluxSeries[][]> {
    const response = await this.#withRetries(async () => {
      const answer = await fetch(`${this.connection.url}/query`, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { ...this.#headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ db: this.connection.database, q: influxql, epoch: 'ms' }),
      });
      if (!answer.ok) throw new InfluxHttpError(answer.status, await errorText(answer));
      return (await answer.json()) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
    });
    if (response.error) throw new InfluxHttpError(400, response.error);
    return (response.results ?? []).map((result) => {
      if (result.error) throw new InfluxHttpError(400, result.error);
      return result.series ?? [];
    });
  }
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    return text || response.statusText;
  }
}

/** Rows of a series as objects keyed by column. */
export function rowsOf(series: InfluxSeries): Record<string, unknown>[] {
  return series.values.map((values) => Object.fromEntries(series.columns.map((column, i) => [column, values[i]])));
}
