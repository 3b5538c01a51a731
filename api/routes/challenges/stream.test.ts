// Attack: keep watching a live leaderboard after signing out, or with a revoked token, by
// holding its event stream open. The stream must end at its next tick. Over real HTTP: an
// event stream never finishes, so app.inject cannot read one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../plugins/auth.ts';
import { LEADERBOARD_CACHE_MS } from '../../services/leaderboards.ts';
import { callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';

/** Reads an event stream's text for a while; a read still waiting when time is up is kept for the next call. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  return {
    /** The text that arrives until the stream ends or `ms` pass (or, with `oneEvent`, one event is whole), and whether it ended. */
    async readFor(ms: number, { oneEvent = false } = {}): Promise<{ text: string; ended: boolean }> {
      let text = '';
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        pending ??= reader.read();
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          pending,
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), deadline - Date.now());
          }),
        ]);
        clearTimeout(timer);
        if (chunk === 'timeout') break;
        pending = undefined;
        if (chunk.done) return { text, ended: true };
        text += decoder.decode(chunk.value, { stream: true });
        if (oneEvent && text.endsWith('\n\n')) break;
      }
      return { text, ended: false };
    },
    cancel: () => reader.cancel(),
  };
}

describe.each(databaseKinds)('a live leaderboard stream on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let base: string;

  beforeAll(async () => {
    fixture = await testApp(kind, { rateLimits: false });
    await seedNeighbourhoods(fixture.db);
    await fixture.db.query(
      `INSERT INTO challenges (id, neighbourhood_id, template, name, metric, scope, starts_on, ends_on, baseline_from, baseline_to)
       VALUES ('c1', 'n1', 'personal_best', 'Spring', 'water', 'households', '2026-03-01', '2026-03-28', '2026-02-01', '2026-02-28')`,
    );
    base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => fixture?.close());

  const open = async (headers: Record<string, string>) => {
    const response = await fetch(`${base}/api/challenges/c1/stream`, { headers });
    expect(response.status).toBe(200);
    const events = eventReader(response.body as ReadableStream<Uint8Array>);
    expect((await events.readFor(3_000, { oneEvent: true })).text).toMatch(/^event: leaderboard/);
    return events;
  };

  it('ends the stream of a session that signs out, and of a token that is revoked, within one tick', async () => {
    await fixture.db.query(
      "INSERT INTO invitations (code_hash, neighbourhood_id, role, street_id, expires_at) VALUES ($1, 'n1', 'household', 'oak', now() + interval '1 day')",
      [sha256('stream-test-code')],
    );
    const signedUp = await fixture.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code: 'stream-test-code', email: 'watcher@example.org', password: 'kettle lantern orchard', alias: 'Watcher' },
    });
    expect(signedUp.statusCode).toBe(201);
    const cookie = `ontap_session=${signedUp.cookies.find((c) => c.name === 'ontap_session')?.value}`;
    const champion = await callerWithToken(fixture.db, 'champion', 'champion', { neighbourhoodId: 'n1' });

    const bySession = await open({ cookie });
    const byToken = await open({ authorization: `Bearer ${champion.token}` });

    const loggedOut = await fixture.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-csrf-token': signedUp.json().csrfToken },
    });
    expect(loggedOut.statusCode).toBe(204);
    await fixture.db.query('DELETE FROM api_tokens WHERE account_id = $1', [champion.accountId]);

    const [session, token] = await Promise.all([
      bySession.readFor(LEADERBOARD_CACHE_MS + 3_000),
      byToken.readFor(LEADERBOARD_CACHE_MS + 3_000),
    ]);
    expect(session).toMatchObject({ ended: true });
    expect(session.text).toMatch(/event: signed-out/);
    expect(token).toMatchObject({ ended: true });
    expect(token.text).toMatch(/event: signed-out/);

    // And it cannot be opened again.
    expect((await fetch(`${base}/api/challenges/c1/stream`, { headers: { cookie } })).status).toBe(401);
  });
});
