// The stream loop on its own, over real HTTP (an event stream never finishes, so app.inject cannot
// read one), with a tick of a few milliseconds: a client that goes during the first send leaves
// nothing running, and sends never overlap.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../context.ts';
import { type EventStreamOptions, eventStreams, OpenStreams } from './event-streams.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await pause(5);
  }
}

/** A server with one stream route reading with `read`; nobody signed in (so no sign-in check). */
async function streamServer(read: EventStreamOptions['read'], everyMs: number) {
  const streams = new OpenStreams({ total: 10, perAccount: 3 });
  const app: FastifyInstance = Fastify();
  app.decorate('ontap', { streams } as unknown as ApiContext);
  await app.register(async (scope) => {
    const stream = eventStreams(scope);
    scope.get('/stream', (request, reply) =>
      stream(request, reply, { event: 'n', read, everyMs, once: false, failure: 'failed' }),
    );
  });
  const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/stream`;
  return { app, url, streams };
}

let server: Awaited<ReturnType<typeof streamServer>> | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

describe('an event stream', () => {
  it('stops for good when its client goes during the first send', async () => {
    // Once the close listener was attached only after the first send: a client gone by then left a
    // timer reading every tick for ever, writing to a dead socket.
    let reads = 0;
    let finishFirst = () => {};
    const firstSend = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    server = await streamServer(async () => {
      reads++;
      if (reads === 1) await firstSend;
      return { data: String(reads) };
    }, 10);
    const { url, streams } = server;
    const client = new AbortController();
    const response = fetch(url, { signal: client.signal }).catch(() => undefined);
    await until(() => reads === 1);
    expect(streams.size).toBe(1);
    client.abort();
    await response;
    // Its place is given back as soon as the client has gone, before the first send is over …
    await until(() => streams.size === 0);
    finishFirst();
    // … and nothing is read again: 20 ticks later still the one read.
    await pause(200);
    expect(reads).toBe(1);
    expect(streams.size).toBe(0);
  });

  it('reads again only once a send is over, so a slow read never overlaps the next nor sends an older figure later', async () => {
    // Each read takes 40 ms, the tick is 5 ms: with a timer every tick, eight reads were under way at
    // once and could finish out of order.
    let reads = 0;
    let underWay = 0;
    let mostAtOnce = 0;
    server = await streamServer(async () => {
      const n = ++reads;
      underWay++;
      mostAtOnce = Math.max(mostAtOnce, underWay);
      await pause(n % 2 === 0 ? 10 : 40);
      underWay--;
      return { data: String(n) };
    }, 5);
    const response = await fetch(server.url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 400;
    while (Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    await reader.cancel();
    const sent = [...text.matchAll(/data: (\d+)\n/g)].map((match) => Number(match[1]));
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent).toStrictEqual(sent.map((_, i) => i + 1));
    expect(mostAtOnce).toBe(1);
  });
});

describe('OpenStreams', () => {
  it('gives an account 3 places and the server its total, each given back once', () => {
    const streams = new OpenStreams({ total: 4, perAccount: 3 });
    const a = [streams.take('a'), streams.take('a'), streams.take('a')];
    expect(() => streams.take('a')).toThrow(expect.objectContaining({ statusCode: 429, detail: { reason: 'too_many_streams' } }));
    const b = streams.take('b');
    expect(streams.size).toBe(4);
    // The server is full: another account is refused too.
    expect(() => streams.take('c')).toThrow(expect.objectContaining({ statusCode: 429, detail: { reason: 'too_many_streams' } }));
    // Given back twice counts once.
    a[0]?.();
    a[0]?.();
    expect(streams.size).toBe(3);
    const again = streams.take('a');
    expect(() => streams.take('a')).toThrow(/at most 3 event streams/);
    for (const release of [again, a[1], a[2], b]) release?.();
    expect(streams.size).toBe(0);
  });
});
