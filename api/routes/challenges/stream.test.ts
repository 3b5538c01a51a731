// Attack: keep watching a live leaderboard after signing out, or with a revoked token, by
// holding its event stream open. The stream must end at its next tick. Over real HTTP: an
// event stream never finishes, so app.inject cannot read one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteApiTokensOf } from '../../../storage/metadata/repositories/accounts.ts';
import { insertChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { insertInvitation } from '../../../storage/metadata/repositories/invitations.ts';
import { sha256 } from '../../plugins/auth.ts';
import { LEADERBOARD_CACHE_MS } from '../../services/leaderboards.ts';
import { callerWithToken, databaseKinds, seedNeighbourhoods, springChallenge, testApp } from '../../testing/fixtures.ts';

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
    await insertChallenge(fixture.db, springChallenge);
    base = await fixture.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => fixture?.close());

  const open = async (headers: Record<string, string>, challengeId = 'c1') => {
    const response = await fetch(`${base}/api/challenges/${challengeId}/stream`, { headers });
    expect(response.status).toBe(200);
    const events = eventReader(response.body as ReadableStream<Uint8Array>);
    expect((await events.readFor(3_000, { oneEvent: true })).text).toMatch(/^event: leaderboard/);
    return events;
  };

  it('ends the stream of a session that signs out, and of a token that is revoked, within one tick', async () => {
    await insertInvitation(fixture.db, {
      codeHash: sha256('stream-test-code'),
      neighbourhoodId: 'n1',
      role: 'household',
      streetId: 'oak',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
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
    await deleteApiTokensOf(fixture.db, champion.accountId as string);

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

  it('ends the stream of a challenge that is cancelled within one tick, and opens none again', async () => {
    // Far ahead, so that it has not started whenever this runs.
    await insertChallenge(fixture.db, {
      id: 'c2',
      neighbourhoodId: 'n1',
      template: 'personal_best',
      name: 'Far Ahead',
      metric: 'water',
      scope: 'teams',
      startsOn: '2099-03-01',
      endsOn: '2099-03-28',
      baselineFrom: '2099-02-01',
      baselineTo: '2099-02-28',
    });
    const champion = await callerWithToken(fixture.db, 'canceller', 'champion', { neighbourhoodId: 'n1' });
    const headers = { authorization: `Bearer ${champion.token}` };
    const events = await open(headers, 'c2');
    const cancelled = await fixture.app.inject({ method: 'POST', url: '/api/challenges/c2/cancel', headers });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const after = await events.readFor(LEADERBOARD_CACHE_MS + 3_000);
    expect(after).toMatchObject({ ended: true });
    expect(after.text).not.toMatch(/event: leaderboard/);
    const again = await fetch(`${base}/api/challenges/c2/stream`, { headers });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: 'not_found', reason: 'challenge_cancelled' });
  });
});
