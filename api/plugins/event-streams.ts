// Server-sent event streams, one way for every route that has one: the reply is taken over
// (hijacked), the current event is sent at once and again whenever it changes (else a keep-alive
// comment, so proxies keep the connection), and the stream ends with `signed-out` as soon as the
// caller's session or token does. `once=true` sends the current event and closes.
//
// Each stream costs a read every few seconds for as long as it is open, so they are counted: at
// most EVENT_STREAMS_PER_ACCOUNT open at once per account, and `maxEventStreams` per server (a 429
// `too_many_streams` beyond). A stream is read again only after its previous send is over (never
// two at once, so an older figure cannot follow a newer one), and stops as soon as its client has
// gone, even while its first send is still under way.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.ts';
import { stillSignedIn } from './auth.ts';

/** Event streams one account may hold open at once (a browser's tabs: a household's page and a board). */
export const EVENT_STREAMS_PER_ACCOUNT = 3;

export interface EventStreamOptions {
  /** The event's name. */
  event: string;
  /**
   * The event's data (JSON text) and what tells whether it changed (by default the data itself:
   * a figure stamped with the time it was read would otherwise differ every time).
   */
  read: () => Promise<{ data: string; version?: string }>;
  /** How long after a send is over the event is read again. */
  everyMs: number;
  once: boolean;
  /** What the log says when a read fails (the stream goes on; a 404, what it streams has gone, ends it). */
  failure: string;
}

const tooManyStreams = (message: string) => new HttpError(429, 'too_many_requests', message, { reason: 'too_many_streams' });

/** The event streams open on a server, by account: shared by every route that has one. */
export class OpenStreams {
  readonly limits: { total: number; perAccount: number };
  readonly #perAccount = new Map<string, number>();
  #total = 0;

  constructor(limits: { total: number; perAccount: number }) {
    this.limits = limits;
  }

  /** Streams open now. */
  get size(): number {
    return this.#total;
  }

  /** Takes a place for a stream of `accountId` (throws the 429 when there is none); returns its release. */
  take(accountId: string | undefined): () => void {
    const key = accountId ?? '';
    const ofAccount = this.#perAccount.get(key) ?? 0;
    if (accountId !== undefined && ofAccount >= this.limits.perAccount)
      throw tooManyStreams(`at most ${this.limits.perAccount} event streams open at once per account: close one first`);
    if (this.#total >= this.limits.total)
      throw tooManyStreams('the server has as many event streams open as it can: try again later');
    this.#perAccount.set(key, ofAccount + 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#perAccount.get(key) ?? 1) - 1;
      if (left > 0) this.#perAccount.set(key, left);
      else this.#perAccount.delete(key);
    };
  }
}

/** For one route plugin: opens its streams, and ends those still open when the server closes. */
export function eventStreams(app: FastifyInstance) {
  const { db, streams } = app.ontap;
  // Open event streams end when the server closes, so closing does not wait for them.
  const open = new Map<ServerResponse, () => void>();
  app.addHook('onClose', async () => {
    for (const [raw, stop] of open) {
      stop();
      raw.end();
    }
  });

  return async function stream(request: FastifyRequest, reply: FastifyReply, options: EventStreamOptions): Promise<void> {
    // Before the reply is taken over, so that a refusal is an ordinary error response.
    const release = streams.take(request.principal?.accountId);
    reply.hijack();
    const raw = reply.raw;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      open.delete(raw);
      release();
    };
    // Before anything is awaited: a client that goes during the first send must not leave a timer behind.
    raw.once('close', stop);
    open.set(raw, stop);
    const gone = () => stopped || raw.destroyed || raw.writableEnded;
    if (gone()) return stop();
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });

    let last: string | undefined;
    const send = async () => {
      if (gone()) return;
      // A stream must not outlive its sign-in: sign-out, expiry or a revoked token end it.
      const signedIn = await stillSignedIn(db, request);
      if (gone()) return;
      if (!signedIn) {
        raw.end('event: signed-out\ndata: {}\n\n');
        return;
      }
      try {
        const { data, version = data } = await options.read();
        if (gone()) return;
        if (version !== last) {
          last = version;
          raw.write(`event: ${options.event}\ndata: ${data}\n\n`);
        } else raw.write(': keep-alive\n\n');
      } catch (error) {
        // What it streams has gone (a cancelled challenge's board): the stream ends, and the
        // client's reconnection is answered with the 404.
        if (error instanceof HttpError && error.statusCode === 404) raw.end();
        else request.log.warn({ err: error }, options.failure);
      }
    };
    // The next read is scheduled once a send is over: sends never overlap, so none can write an
    // older figure after a newer one, and a slow read does not pile up more of them.
    const tick = async () => {
      try {
        await send();
        if (options.once && !gone()) raw.end();
      } catch (error) {
        // Nothing a send does should throw; if it does, this stream ends rather than the process.
        request.log.error({ err: error }, options.failure);
        raw.destroy();
      }
      if (gone()) return stop();
      timer = setTimeout(tick, options.everyMs);
    };
    await tick();
  };
}
