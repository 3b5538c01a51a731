// A household finds the challenges it is invited to and joins them in the browser, pledging what
// it will do; it changes its pledges later, finds them in its export, and they go with a leave or
// an erasure. "Now" is 5 March 2026 23:30 UTC: still 5 March in London, already 6 March in Auckland.
//   Riverside (n1, London): Elm Street (Swift h1, Heron h2) is invited to
//     Early   20 Feb – 5 Mar   running (its last day)
//     Spring   1 Mar – 28 Mar  running
//     April    1 Apr – 28 Apr  upcoming (Otter h3 of Oak Road is invited to it alone)
//     Winter   1 Feb – 4 Mar   ended: not offered
//   and not to Closed (running). Harbour (n3, Auckland): Kiwi (h20) is invited to
//     Dawn     6 Mar – 2 Apr   running there (on London's date it would not have started)
//     Dusk    20 Feb – 5 Mar   ended there (on London's date it would still run)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pledgeIds } from '../../../domain/pledges.ts';
import { insertChallenge, inviteToChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { insertHouseholds } from '../../../storage/metadata/repositories/households.ts';
import { insertNeighbourhood, insertStreets } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import { membershipRowsOf } from '../../../storage/metadata/testing/inspect.ts';
import {
  bearer,
  type Caller,
  callerWithToken,
  databaseKinds,
  personalBest,
  seedNeighbourhoods,
  testApp,
} from '../../testing/fixtures.ts';

const NOW = Date.parse('2026-03-05T23:30:00Z');

type Body = Record<string, unknown>;

describe.each(databaseKinds)('invitations and pledges on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  const callers: Record<string, Caller> = {};

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    const { db } = fixture;
    await seedNeighbourhoods(db);
    await insertNeighbourhood(db, { id: 'n3', name: 'Harbour', timeZone: 'Pacific/Auckland' });
    await insertStreets(db, [{ id: 'kiwi', neighbourhoodId: 'n3', name: 'Kiwi Way' }]);
    await insertHouseholds(db, [{ id: 'h20', streetId: 'kiwi', alias: 'Tui' }]);
    for (const c of [
      personalBest('early', 'n1', 'Early', '2026-02-20', '2026-03-05'),
      personalBest('spring', 'n1', 'Spring', '2026-03-01', '2026-03-28'),
      personalBest('april', 'n1', 'April', '2026-04-01', '2026-04-28'),
      personalBest('winter', 'n1', 'Winter', '2026-02-01', '2026-03-04'),
      personalBest('closed', 'n1', 'Closed', '2026-03-01', '2026-03-28'),
      personalBest('far', 'n2', 'Far Away', '2026-03-01', '2026-03-28'),
      personalBest('dawn', 'n3', 'Dawn', '2026-03-06', '2026-04-02'),
      personalBest('dusk', 'n3', 'Dusk', '2026-02-20', '2026-03-05'),
    ])
      await insertChallenge(db, c);
    for (const id of ['early', 'spring', 'april', 'winter'])
      await inviteToChallenge(db, { id, neighbourhoodId: 'n1' }, { streetIds: ['elm'] });
    await inviteToChallenge(db, { id: 'april', neighbourhoodId: 'n1' }, { householdIds: ['h3'] });
    await inviteToChallenge(db, { id: 'far', neighbourhoodId: 'n2' }, { streetIds: ['far'] });
    for (const id of ['dawn', 'dusk']) await inviteToChallenge(db, { id, neighbourhoodId: 'n3' }, { householdIds: ['h20'] });
    for (const [name, householdId] of [
      ['swift', 'h1'],
      ['heron', 'h2'],
      ['otter', 'h3'],
      ['badger', 'h9'],
      ['tui', 'h20'],
    ] as const)
      callers[name] = await callerWithToken(db, name, 'household', { householdId });
    callers.champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    callers.admin = await callerWithToken(db, 'admin', 'admin');
  });
  afterAll(async () => fixture?.close());

  const as = (name: string) => bearer(callers[name] as Caller);
  const invitations = async (household: string, caller: string) => {
    const response = await fixture.app.inject({
      method: 'GET',
      url: `/api/households/${household}/invitations`,
      headers: as(caller),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Body[];
  };
  const join = (challengeId: string, caller: string, payload?: Body) =>
    fixture.app.inject({
      method: 'POST',
      url: `/api/challenges/${challengeId}/membership`,
      headers: as(caller),
      ...(payload ? { payload } : {}),
    });
  const pledge = (challengeId: string, caller: string, payload: unknown) =>
    fixture.app.inject({
      method: 'PUT',
      url: `/api/challenges/${challengeId}/membership/pledges`,
      headers: as(caller),
      payload: payload as Body,
    });
  const pledgesIn = async (household: string, caller: string) => {
    const response = await fixture.app.inject({
      method: 'GET',
      url: `/api/households/${household}/challenges`,
      headers: as(caller),
    });
    expect(response.statusCode, response.body).toBe(200);
    return Object.fromEntries(
      (response.json() as { challengeId: string; pledges: string[] }[]).map((c) => [c.challengeId, c.pledges]),
    );
  };

  it('offers each household the challenges it was invited to, those not ended first, then finished ones, in its own time zone', async () => {
    expect(await invitations('h1', 'swift')).toStrictEqual([
      {
        challengeId: 'early',
        name: 'Early',
        template: 'personal_best',
        scope: 'households',
        metric: 'water',
        startsOn: '2026-02-20',
        endsOn: '2026-03-05',
        phase: 'running',
        status: 'running',
      },
      expect.objectContaining({ challengeId: 'spring', phase: 'running' }),
      expect.objectContaining({ challengeId: 'april', startsOn: '2026-04-01', phase: 'upcoming' }),
      // Ended on 4 March: still offered, last, until it is archived (a past challenge evidenced
      // from meters' backlogs counts only the homes that join it).
      expect.objectContaining({ challengeId: 'winter', phase: 'finished', status: 'finished' }),
    ]);
    expect((await invitations('h3', 'otter')).map((c) => c.challengeId)).toStrictEqual(['april']);
    expect(await invitations('h9', 'badger')).toStrictEqual([expect.objectContaining({ challengeId: 'far' })]);
    // Dusk ended on 5 March, already over at 01:00 on the 6th in Auckland.
    expect(await invitations('h20', 'tui')).toStrictEqual([
      expect.objectContaining({ challengeId: 'dawn', phase: 'running' }),
      expect.objectContaining({ challengeId: 'dusk', phase: 'finished' }),
    ]);
    // An admin sees any household's.
    expect((await invitations('h1', 'admin')).map((c) => c.challengeId)).toStrictEqual(['early', 'spring', 'april', 'winter']);
  });

  it("refuses another household's invitations, champions, and says so for a household that does not exist", async () => {
    const get = (url: string, caller: string) => fixture.app.inject({ method: 'GET', url, headers: as(caller) });
    expect((await get('/api/households/h1/invitations', 'heron')).json()).toMatchObject({ reason: 'not_your_household' });
    expect((await get('/api/households/h1/invitations', 'tui')).json()).toMatchObject({ reason: 'not_your_household' });
    expect((await get('/api/households/h1/invitations', 'champion')).json()).toMatchObject({ reason: 'wrong_role' });
    expect((await fixture.app.inject({ method: 'GET', url: '/api/households/h1/invitations' })).statusCode).toBe(401);
    const unknown = await get('/api/households/nobody/invitations', 'admin');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ reason: 'household_unknown' });
    const hostile = await get(`/api/households/${encodeURIComponent("h1\u0000' OR '1'='1")}/invitations`, 'admin');
    expect(hostile.statusCode).toBe(400);
    expect((await get(`/api/households/${'h'.repeat(65)}/invitations`, 'admin')).statusCode).toBe(400);
  });

  it('joins without a body as before, pledging nothing; joined challenges leave the invitations', async () => {
    const joined = await join('spring', 'swift');
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json()).toStrictEqual({ joined: 'spring' });
    expect((await join('early', 'swift', {})).statusCode).toBe(201);
    expect(await pledgesIn('h1', 'swift')).toStrictEqual({ spring: [], early: [] });
    expect((await invitations('h1', 'swift')).map((c) => c.challengeId)).toStrictEqual(['april', 'winter']);
    // Heron, on the same street, still has all four.
    expect((await invitations('h2', 'heron')).map((c) => c.challengeId)).toStrictEqual(['early', 'spring', 'april', 'winter']);
  });

  it('keeps the pledges a join names, in the list’s order, and a later join’s only when it names them', async () => {
    const joined = await join('april', 'swift', { pledges: ['water_butt', 'shorter_showers'] });
    expect(joined.statusCode, joined.body).toBe(201);
    expect((await pledgesIn('h1', 'swift')).april).toStrictEqual(['shorter_showers', 'water_butt']);
    expect((await join('april', 'swift')).statusCode).toBe(201);
    expect((await pledgesIn('h1', 'swift')).april).toStrictEqual(['shorter_showers', 'water_butt']);
    expect((await join('april', 'swift', { pledges: ['no_prerinse'] })).statusCode).toBe(201);
    expect((await pledgesIn('h1', 'swift')).april).toStrictEqual(['no_prerinse']);
    expect((await invitations('h1', 'swift')).map((c) => c.challengeId)).toStrictEqual(['winter']);
  });

  it('changes pledges later: any of the list, each once, none at all', async () => {
    const all = [...pledgeIds].reverse();
    const changed = await pledge('spring', 'swift', { pledges: all });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toStrictEqual({ pledges: [...pledgeIds] });
    expect((await pledgesIn('h1', 'swift')).spring).toStrictEqual([...pledgeIds]);
    expect((await pledge('spring', 'swift', { pledges: ['fix_drips'] })).json()).toStrictEqual({ pledges: ['fix_drips'] });
    expect((await pledge('early', 'swift', { pledges: [] })).json()).toStrictEqual({ pledges: [] });
    expect(await pledgesIn('h1', 'swift')).toStrictEqual({ spring: ['fix_drips'], early: [], april: ['no_prerinse'] });
  });

  it('refuses pledges that are unknown, repeated, too many or not a list, on joining and changing, and keeps what was', async () => {
    const refusals: [unknown, string, string][] = [
      [['shorter_showers', 'take_baths'], 'pledges.1', 'invalid_value'],
      [['fix_drips', 'fix_drips'], 'pledges', 'pledge_repeated'],
      [[...pledgeIds, 'fix_drips'], 'pledges', 'too_big'],
      [['x'.repeat(100_000)], 'pledges.0', 'invalid_value'],
      [['shorter_showers\u0000'], 'pledges.0', 'invalid_value'],
      [['SHORTER_SHOWERS'], 'pledges.0', 'invalid_value'],
      ['shorter_showers', 'pledges', 'invalid_type'],
      [null, 'pledges', 'invalid_type'],
      [[{ id: 'fix_drips' }], 'pledges.0', 'invalid_value'],
    ];
    for (const [pledges, field, code] of refusals) {
      for (const response of [await pledge('spring', 'swift', { pledges }), await join('spring', 'swift', { pledges })]) {
        expect(response.statusCode, JSON.stringify(pledges).slice(0, 80)).toBe(400);
        expect(response.json().fields, JSON.stringify(pledges).slice(0, 80)).toContainEqual(
          expect.objectContaining({ field, code }),
        );
      }
    }
    expect((await pledge('spring', 'swift', {})).json().fields).toContainEqual(
      expect.objectContaining({ field: 'pledges', code: 'invalid_type' }),
    );
    expect((await pledgesIn('h1', 'swift')).spring).toStrictEqual(['fix_drips']);
  });

  it('keeps the refusals: not invited, not a member, not its neighbourhood, not a household', async () => {
    for (const payload of [undefined, { pledges: ['fix_drips'] }]) {
      const closed = await join('closed', 'swift', payload);
      expect(closed.statusCode).toBe(403);
      expect(closed.json()).toMatchObject({ error: 'not_invited', reason: 'not_invited' });
    }
    // Invited with its street, but not a member yet: nothing to change.
    const notMember = await pledge('early', 'heron', { pledges: ['fix_drips'] });
    expect(notMember.statusCode).toBe(404);
    expect(notMember.json()).toMatchObject({ reason: 'not_a_member' });
    for (const challengeId of ['far', 'dawn', 'no-such-challenge']) {
      expect((await join(challengeId, 'swift', { pledges: ['fix_drips'] })).json()).toMatchObject({
        reason: 'not_your_neighbourhood',
      });
      expect((await pledge(challengeId, 'swift', { pledges: ['fix_drips'] })).json()).toMatchObject({
        reason: 'not_your_neighbourhood',
      });
    }
    expect((await pledge('x'.repeat(65), 'swift', { pledges: [] })).statusCode).toBe(403);
    for (const caller of ['champion', 'admin']) {
      const refused = await pledge('spring', caller, { pledges: ['fix_drips'] });
      expect(refused.statusCode, caller).toBe(403);
      expect(refused.json()).toMatchObject({ reason: 'wrong_role' });
    }
    expect((await membershipRowsOf(fixture.db, 'h1')).map((m) => m.challengeId)).toStrictEqual(['april', 'early', 'spring']);
  });

  it('puts pledges in the export, and takes them away with a leave and with an erasure', async () => {
    const exported = await fixture.app.inject({ method: 'GET', url: '/api/households/h1/export', headers: as('swift') });
    expect(exported.json().challenges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ challengeId: 'spring', name: 'Spring', pledges: ['fix_drips'] }),
        expect.objectContaining({ challengeId: 'april', pledges: ['no_prerinse'] }),
        expect.objectContaining({ challengeId: 'early', pledges: [] }),
      ]),
    );
    expect(
      (await fixture.app.inject({ method: 'DELETE', url: '/api/challenges/april/membership', headers: as('swift') })).statusCode,
    ).toBe(200);
    expect((await join('april', 'swift')).statusCode).toBe(201);
    expect((await pledgesIn('h1', 'swift')).april).toStrictEqual([]);

    const erased = await fixture.app.inject({
      method: 'DELETE',
      url: '/api/households/h1',
      headers: as('swift'),
      payload: { confirm: 'Swift' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().removed.challengeMemberships).toBe(3);
    expect(await membershipRowsOf(fixture.db, 'h1')).toStrictEqual([]);
  });
});
