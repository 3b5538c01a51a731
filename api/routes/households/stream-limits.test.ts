// Attack: open event streams until the server gives out (each costs a read every 5 s for as long as
// it is open). An account holds at most 3 at once, the server a set number in all; a household's
// streams share one computation of its figures per tick. Over real HTTP: an event stream never
// finishes, so app.inject cannot read one.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { EVENT_STREAMS_PER_ACCOUNT } from '../../plugins/event-streams.ts';
import { bearer, type Caller, callerWithToken, seedNeighbourhoods, springChallenge, testApp } from '../../testing/fixtures.ts';

describe('limits on open event streams', () => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let base: string;
  let swift: Caller;
  let heron: Caller;
  let admin: Caller;
  const open: ReadableStreamDefaultReader<Uint8Array>[] = [];

  beforeAll(async () => {
    // Room for 4 streams on this server in all.
    fixture = await testApp('pglite', { rateLimits: false, settings: { maxEventStreams: 4 } });
    await seedNeighbourhoods(fixture.db);
    await insertChallenge(fixture.db, springChallenge);
    swift = await callerWithToken(fixture.db, 'swift', 'household', { householdId: 'h1' });
    heron = await callerWithToken(fixture.db, 'heron', 'household', { householdId: 'h2' });
    admin = await callerWithToken(fixture.db, 'admin', 'admin');
    base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const reader of open) await reader.cancel().catch(() => {});
    await fixture?.close();
  });

  /** Opens a stream and reads its first event; the response of a refused one. */
  const openStream = async (path: string, caller: Caller) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${caller.token}` } });
    if (response.status !== 200) return { response };
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    open.push(reader);
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^event: /);
    return { response, reader };
  };

  it("shares one computation of a household's figures among its streams", async () => {
    // Swift's usual day is computed (and kept 10 minutes) by its first look at today.
    expect(
      (await fixture.app.inject({ method: 'GET', url: '/api/households/h1/today', headers: bearer(swift) })).statusCode,
    ).toBe(200);
    const lastReadings = vi.spyOn(fixture.store, 'lastReadings');
    try {
      // Three streams at once: one computation (one look for its meters' last readings), not three.
      const bodies = await Promise.all(
        [1, 2, 3].map(async () =>
          (
            await fetch(`${base}/api/households/h1/stream?once=true`, { headers: { authorization: `Bearer ${swift.token}` } })
          ).text(),
        ),
      );
      for (const body of bodies) expect(body).toMatch(/^event: today\ndata: \{"kinds":\[/);
      expect(lastReadings).toHaveBeenCalledTimes(1);
    } finally {
      lastReadings.mockRestore();
    }
  });

  it(`lets an account hold ${EVENT_STREAMS_PER_ACCOUNT} streams at once, refusing the next with 429 too_many_streams`, async () => {
    expect(EVENT_STREAMS_PER_ACCOUNT).toBe(3);
    const streams = [];
    for (let i = 0; i < 3; i++)
      streams.push(await openStream(i === 2 ? '/api/challenges/c1/stream' : '/api/households/h1/stream', swift));
    expect(fixture.app.ontap.streams.size).toBe(3);
    for (const path of ['/api/households/h1/stream', '/api/challenges/c1/stream', '/api/households/h1/stream?once=true']) {
      const { response } = await openStream(path, swift);
      expect(response.status).toBe(429);
      expect(await response.json()).toMatchObject({ error: 'too_many_requests', reason: 'too_many_streams' });
    }
    // Another household is not held back by Swift's.
    await openStream('/api/households/h2/stream', heron);
    // The server's 4 places are taken: the admin is refused too, whatever its own count.
    const full = await openStream('/api/challenges/c1/stream', admin);
    expect(full.response.status).toBe(429);
    expect(await full.response.json()).toMatchObject({ reason: 'too_many_streams' });
    // Closing one gives its place back.
    await streams[0]?.reader?.cancel();
    await vi.waitFor(() => expect(fixture.app.ontap.streams.size).toBe(3), { timeout: 2_000 });
    expect((await openStream('/api/households/h1/stream', swift)).response.status).toBe(200);
  });
});
