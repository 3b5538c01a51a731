// An invited street stays invited: a household that signs up on it after the invitation finds the
// challenge among its invitations and joins it. Counted once however a household was invited;
// `everyone` invites the streets the neighbourhood has then; another neighbourhood's ids change
// nothing; street invitations go with their challenge. "Now" is 5 March 2026, 12:00 in London.
//   Riverside (n1): Elm Street (Swift h1, Heron h2), Oak Road (Otter h3); Hilltop (n2): Far Lane (Badger h9).
//   Challenges: Spring, Count, All and Other in n1 (1–28 March); Far in n2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { deleteChallengeRow, ownInvitationsOf, streetInvitationsOf } from '../../../storage/metadata/testing/inspect.ts';
import {
  bearer,
  type Caller,
  callerWithToken,
  databaseKinds,
  householdInvitationCode,
  personalBest,
  seedNeighbourhoods,
  testApp,
} from '../../testing/fixtures.ts';

const NOW = Date.parse('2026-03-05T12:00:00Z');

type Body = Record<string, unknown>;
type Session = { cookie: string; csrf: string; householdId: string };

describe.each(databaseKinds)('street invitations that last on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  const callers: Record<string, Caller> = {};

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    const { db } = fixture;
    await seedNeighbourhoods(db);
    for (const [id, name] of [
      ['spring', 'Spring'],
      ['count', 'Count'],
      ['all', 'All'],
      ['other', 'Other'],
    ])
      await insertChallenge(db, personalBest(id as string, 'n1', name as string, '2026-03-01', '2026-03-28'));
    await insertChallenge(db, personalBest('far', 'n2', 'Far', '2026-03-01', '2026-03-28'));
    callers.champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    callers.farChampion = await callerWithToken(db, 'far-champion', 'champion', { neighbourhoodId: 'n2' });
    callers.admin = await callerWithToken(db, 'admin', 'admin');
    callers.swift = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });
    callers.badger = await callerWithToken(db, 'badger', 'household', { householdId: 'h9' });
  });
  afterAll(async () => fixture?.close());

  const headersOf = (caller: Caller | Session) =>
    'cookie' in caller ? { cookie: caller.cookie, 'x-csrf-token': caller.csrf } : bearer(caller);
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, caller: Caller | Session, payload?: unknown) =>
    fixture.app.inject({
      method,
      url,
      headers: headersOf(caller),
      ...(payload === undefined ? {} : { payload: payload as Body }),
    });
  const invite = async (challengeId: string, payload: unknown, caller = callers.champion as Caller) => {
    const response = await call('POST', `/api/challenges/${challengeId}/invitations`, caller, payload);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().invited as number;
  };
  const invitedCount = async (challengeId: string) => {
    const response = await call('GET', `/api/challenges/${challengeId}/members`, callers.champion as Caller);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().invited as number;
  };
  const invitationsOf = async (household: Caller | Session, householdId: string) => {
    const response = await call('GET', `/api/households/${householdId}/invitations`, household);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { challengeId: string }[]).map((c) => c.challengeId);
  };
  /** A household signing up with a champion's code for the street, as in the browser. */
  const signUp = async (streetId: string, alias: string): Promise<Session> => {
    const code = await householdInvitationCode(fixture.db, { neighbourhoodId: 'n1', streetId });
    const response = await fixture.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code, email: `${alias.toLowerCase()}@example.org`, password: 'kettle lantern orchard', alias },
    });
    expect(response.statusCode, response.body).toBe(201);
    return {
      cookie: `ontap_session=${response.cookies.find((c) => c.name === 'ontap_session')?.value}`,
      csrf: response.json().csrfToken as string,
      householdId: response.json().householdId as string,
    };
  };
  const addStreet = async (name: string) => {
    const response = await call('POST', '/api/neighbourhoods/n1/streets', callers.champion as Caller, { names: [name] });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().created[0].id as string;
  };

  it('keeps an invited street invited: a household that signs up on it later sees the invitation and joins', async () => {
    expect(await invite('spring', { streetIds: ['elm'] })).toBe(2);
    // Again, or its households by themselves: nobody new.
    expect(await invite('spring', { streetIds: ['elm'] })).toBe(0);
    expect(await invite('spring', { householdIds: ['h1', 'h2'] })).toBe(0);
    expect(await invitedCount('spring')).toBe(2);
    expect(await streetInvitationsOf(fixture.db, 'spring')).toStrictEqual(['elm']);

    const wren = await signUp('elm', 'Wren');
    expect(await invitationsOf(wren, wren.householdId)).toStrictEqual(['spring']);
    expect(await invitedCount('spring')).toBe(3);
    const joined = await call('POST', '/api/challenges/spring/membership', wren, { pledges: ['fix_drips'] });
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json()).toStrictEqual({ joined: 'spring' });
    expect(await invitationsOf(wren, wren.householdId)).toStrictEqual([]);
    const members = (await call('GET', '/api/challenges/spring/members', callers.champion as Caller)).json();
    expect(members).toStrictEqual({
      invited: 3,
      members: [{ householdId: wren.householdId, alias: 'Wren', street: 'Elm Street', team: null }],
    });
    // Only the street's challenge: not one its street was never invited to.
    const other = await call('POST', '/api/challenges/other/membership', wren);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: 'not_invited', reason: 'not_invited' });

    // A household on a street that is not invited is not, until the street is.
    const lark = await signUp('oak', 'Lark');
    expect(await invitationsOf(lark, lark.householdId)).toStrictEqual([]);
    expect((await call('POST', '/api/challenges/spring/membership', lark)).json()).toMatchObject({ reason: 'not_invited' });
    expect(await invite('spring', { streetIds: ['oak'] })).toBe(2);
    expect(await invitationsOf(lark, lark.householdId)).toStrictEqual(['spring']);
    expect((await call('POST', '/api/challenges/spring/membership', lark)).statusCode).toBe(201);
  });

  it('counts each household once, whether it was invited by itself, by its street, or both', async () => {
    expect(await invite('count', { householdIds: ['h3'] })).toBe(1);
    // Oak Road: Otter (already) and Lark.
    expect(await invite('count', { streetIds: ['oak'] })).toBe(1);
    // Swift by itself and with Elm Street (Swift, Heron, Wren) in one request: three, Swift once.
    expect(await invite('count', { householdIds: ['h1'], streetIds: ['elm', 'elm'] })).toBe(3);
    expect(await invitedCount('count')).toBe(5);
    // Named by itself, a household keeps its own invitation (were it to move), invited already or not.
    expect(await ownInvitationsOf(fixture.db, 'h1')).toStrictEqual(['count', 'spring']);
    expect(await invitationsOf(callers.swift as Caller, 'h1')).toStrictEqual(['count', 'spring']);
  });

  it('invites every street the neighbourhood has now with everyone, not one added later', async () => {
    const birch = await addStreet('Birch Close');
    const finch = await signUp(birch, 'Finch');
    expect(await invite('all', { everyone: false })).toBe(0);
    // Swift, Heron, Wren, Otter, Lark and Finch.
    expect(await invite('all', { everyone: true })).toBe(6);
    expect(await invite('all', { everyone: true, streetIds: ['elm'], householdIds: ['h1'] })).toBe(0);
    expect(await streetInvitationsOf(fixture.db, 'all')).toStrictEqual([birch, 'elm', 'oak'].sort());
    expect(await invitationsOf(finch, finch.householdId)).toStrictEqual(['all']);

    const ash = await addStreet('Ash Lane');
    const robin = await signUp(ash, 'Robin');
    expect(await invitationsOf(robin, robin.householdId)).toStrictEqual([]);
    expect((await call('POST', '/api/challenges/all/membership', robin)).json()).toMatchObject({ reason: 'not_invited' });
    // A new household on a street invited with everyone is invited.
    const jay = await signUp(birch, 'Jay');
    expect(await invitationsOf(jay, jay.householdId)).toStrictEqual(['all']);
    expect(await invitedCount('all')).toBe(7);
  });

  it("changes nothing with another neighbourhood's streets and households, or for another neighbourhood's champion", async () => {
    expect(await invite('spring', { streetIds: ['far'], householdIds: ['h9'] })).toBe(0);
    expect(await invite('far', { streetIds: ['elm', 'oak'], householdIds: ['h1'] }, callers.farChampion as Caller)).toBe(0);
    expect(await streetInvitationsOf(fixture.db, 'far')).toStrictEqual([]);
    expect(await streetInvitationsOf(fixture.db, 'spring')).toStrictEqual(['elm', 'oak']);
    // Everyone of Hilltop invites Far Lane only.
    expect(await invite('far', { everyone: true }, callers.farChampion as Caller)).toBe(1);
    expect(await streetInvitationsOf(fixture.db, 'far')).toStrictEqual(['far']);
    expect(await invitationsOf(callers.badger as Caller, 'h9')).toStrictEqual(['far']);
    expect(await invitationsOf(callers.swift as Caller, 'h1')).toStrictEqual(['all', 'count', 'spring']);

    const before = await invitedCount('other');
    for (const caller of [callers.farChampion, callers.swift] as Caller[]) {
      const refused = await call('POST', '/api/challenges/other/invitations', caller, { everyone: true });
      expect(refused.statusCode, caller.name).toBe(403);
    }
    expect(
      (await call('POST', '/api/challenges/other/invitations', callers.farChampion as Caller, { everyone: true })).json(),
    ).toMatchObject({
      reason: 'not_your_neighbourhood',
    });
    expect(
      (await call('POST', '/api/challenges/other/invitations', callers.swift as Caller, { everyone: true })).json(),
    ).toMatchObject({
      reason: 'wrong_role',
    });
    const anonymous = await fixture.app.inject({
      method: 'POST',
      url: '/api/challenges/other/invitations',
      payload: { everyone: true },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await invitedCount('other')).toBe(before);
    expect(await streetInvitationsOf(fixture.db, 'other')).toStrictEqual([]);
  });

  it('refuses bodies that are not invitations, and challenges that do not exist', async () => {
    const refusals: [unknown, string][] = [
      [{ everyone: 'true' }, 'everyone'],
      [{ everyone: 1 }, 'everyone'],
      [{ everyone: null }, 'everyone'],
      [{ streetIds: "elm' OR '1'='1" }, 'streetIds'],
      [{ streetIds: ["elm' OR '1'='1"] }, 'streetIds.0'],
      [{ streetIds: ['elm\u0000'] }, 'streetIds.0'],
      [{ streetIds: ['x'.repeat(65)] }, 'streetIds.0'],
      [{ streetIds: Array.from({ length: 1001 }, (_, i) => `s${i}`) }, 'streetIds'],
      [{ householdIds: [{ id: 'h1' }] }, 'householdIds.0'],
    ];
    for (const [payload, field] of refusals) {
      const refused = await call('POST', '/api/challenges/other/invitations', callers.champion as Caller, payload);
      expect(refused.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(refused.json().fields, JSON.stringify(payload).slice(0, 80)).toContainEqual(expect.objectContaining({ field }));
    }
    expect(await streetInvitationsOf(fixture.db, 'other')).toStrictEqual([]);
    const unknown = await call('POST', '/api/challenges/no-such-challenge/invitations', callers.admin as Caller, {
      everyone: true,
    });
    expect(unknown.statusCode).toBe(404);
    expect(await streetInvitationsOf(fixture.db, 'no-such-challenge')).toStrictEqual([]);
  });

  it('forgets an erased household wherever it was invited, keeps its street invited, and drops a challenge’s streets with it', async () => {
    const dove = await signUp('oak', 'Dove');
    expect(await invite('other', { householdIds: [dove.householdId] })).toBe(1);
    expect(await invitationsOf(dove, dove.householdId)).toStrictEqual(['all', 'count', 'other', 'spring']);
    expect(await invitedCount('spring')).toBe(6);
    const erased = await call('DELETE', `/api/households/${dove.householdId}`, dove, { confirm: 'Dove' });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await ownInvitationsOf(fixture.db, dove.householdId)).toStrictEqual([]);
    expect(await invitedCount('spring')).toBe(5);
    expect(await invitedCount('other')).toBe(0);
    // The street stays invited: it names no household.
    expect(await streetInvitationsOf(fixture.db, 'spring')).toStrictEqual(['elm', 'oak']);

    await deleteChallengeRow(fixture.db, 'spring');
    expect(await streetInvitationsOf(fixture.db, 'spring')).toStrictEqual([]);
    expect(await ownInvitationsOf(fixture.db, 'h1')).toStrictEqual(['all', 'count']);
  });
});
