// Server-sent event streams, one way for every route that has one: the reply is taken over
// (hijacked), the current event is sent at once and again whenever it changes (else a keep-alive
// comment, so proxies keep the connection), and the stream ends with `signed-out` as soon as the
// caller's session or token does. `once=true` sends the current event and closes.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stillSignedIn } from './auth.ts';

export interface EventStreamOptions {
  /** The event's name. */
  event: string;
  /**
   * The event's data (JSON text) and what tells whether it changed (by default the data itself:
   * a figure stamped with the time it was read would otherwise differ every time).
   */
  read: () => Promise<{ data: string; version?: string }>;
  /** How often it is read again. */
  everyMs: number;
  once: boolean;
  /** What the log says when a read fails (the stream goes on). */
  failure: string;
}

/** For one route plugin: opens its streams, and ends those still open when the server closes. */
export function eventStreams(app: FastifyInstance) {
  const { db } = app.ontap;
  // Open event streams end when the server closes, so closing does not wait for them.
  const open = new Set<ServerResponse>();
  app.addHook('onClose', async () => {
    for (const stream of open) stream.end();
  });

  return async function stream(request: FastifyRequest, reply: FastifyReply, options: EventStreamOptions): Promise<void> {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let last: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const send = async () => {
      // A stream must not outlive its sign-in: sign-out, expiry or a revoked token end it.
      const signedIn = await stillSignedIn(db, request);
      if (raw.writableEnded) return;
      if (!signedIn) {
        clearInterval(timer);
        raw.end('event: signed-out\ndata: {}\n\n');
        return;
      }
      try {
        const { data, version = data } = await options.read();
        if (raw.writableEnded) return;
        if (version !== last) {
          last = version;
          raw.write(`event: ${options.event}\ndata: ${data}\n\n`);
        } else raw.write(': keep-alive\n\n');
      } catch (error) {
        request.log.warn({ err: error }, options.failure);
      }
    };
    await send();
    if (options.once || raw.writableEnded) {
      raw.end();
      return;
    }
    timer = setInterval(send, options.everyMs);
    open.add(raw);
    request.raw.once('close', () => {
      clearInterval(timer);
      open.delete(raw);
    });
  };
}
