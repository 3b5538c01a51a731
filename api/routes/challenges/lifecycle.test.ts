// A challenge's lifecycle: an organiser changes it, ends it early, cancels or archives it, and every
// representation says where it is. "Now" is 5 March 2026 12:00 UTC: 5 March in London (Riverside,
// n1), already 6 March 01:00 in Auckland (Harbour, n3). Readings as in challenges.test.ts:
//   Swift (h1): 10 L/h in February (240/day), 9 L/h in March (216/day): saving 0.1.
//   Heron (h2): 20 L/h (480/day), then 16 L/h (384/day): saving 0.2.
// A challenge from 1 March (baseline February) then has, over its complete days so far, the
// target reached (a Personal Best's: the mean of its households' savings) (0.1 + 0.2) / 2 = 0.15, whatever
// its last complete day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import { insertHouseholds } from '../../../storage/metadata/repositories/households.ts';
import { insertNeighbourhood, insertStreets } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import {
  bearer,
  type Caller,
  callerWithToken,
  databaseKinds,
  personalBest,
  seedNeighbourhoods,
  testApp,
} from '../../testing/fixtures.ts';
import { writeSteadyWater } from '../../testing/readings.ts';

const NOW = Date.parse('2026-03-05T12:00:00Z');

type Body = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

describe.each(databaseKinds)('a challenge changed, ended, cancelled and archived on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  const callers: Record<string, Caller> = {};

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    const { db, store } = fixture;
    await seedNeighbourhoods(db);
    await insertNeighbourhood(db, { id: 'n3', name: 'Harbour', timeZone: 'Pacific/Auckland' });
    await insertStreets(db, [{ id: 'kiwi', neighbourhoodId: 'n3', name: 'Kiwi Way' }]);
    await insertHouseholds(db, [{ id: 'h20', streetId: 'kiwi', alias: 'Tui' }]);
    for (const [name, householdId] of [
      ['h1', 'h1'],
      ['h2', 'h2'],
      ['h3', 'h3'],
    ] as const)
      callers[name] = await callerWithToken(db, name, 'household', { householdId });
    callers.champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    callers.farChampion = await callerWithToken(db, 'far-champion', 'champion', { neighbourhoodId: 'n2' });
    callers.harbourChampion = await callerWithToken(db, 'harbour-champion', 'champion', { neighbourhoodId: 'n3' });
    callers.utility = await callerWithToken(db, 'utility', 'utility', { neighbourhoodId: 'n1' });
    callers.admin = await callerWithToken(db, 'admin', 'admin');
    callers.anonymous = { name: 'anonymous', token: null, accountId: null };
    const place = (household: string) => ({ meterId: `${household}-w`, household, street: 'elm', neighbourhood: 'n1' });
    let r = await writeSteadyWater(store, place('h1'), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', 10);
    await writeSteadyWater(store, place('h1'), '2026-03-01T00:00:00Z', '2026-03-05T12:00:00Z', 9, r);
    r = await writeSteadyWater(store, place('h2'), '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z', 20);
    await writeSteadyWater(store, place('h2'), '2026-03-01T00:00:00Z', '2026-03-05T12:00:00Z', 16, r);
  });
  afterAll(async () => fixture?.close());

  /** Any JSON value as the body (none when undefined). */
  const call = (method: Method, url: string, caller: string, payload?: unknown) =>
    fixture.app.inject({
      method,
      url,
      headers: {
        ...bearer(callers[caller] as Caller),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const ok = async (method: Method, url: string, caller: string, payload?: unknown) => {
    const response = await call(method, url, caller, payload);
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(200);
    return response.json();
  };
  const refused = async (method: Method, url: string, caller: string, payload: unknown, status: number, reason: string) => {
    const response = await call(method, url, caller, payload);
    expect(response.statusCode, `${method} ${url} ${JSON.stringify(payload)}: ${response.body}`).toBe(status);
    expect(response.json()).toMatchObject({ reason });
    return response.json();
  };
  /** A challenge of Riverside made by its champion, Elm Street invited, Swift and Heron in it. */
  const created = async (body: Body, { join = true } = {}): Promise<Body> => {
    const response = await call('POST', '/api/neighbourhoods/n1/challenges', 'champion', { template: 'personal_best', ...body });
    expect(response.statusCode, response.body).toBe(201);
    const challenge = response.json() as Body;
    await ok('POST', `/api/challenges/${challenge.id}/invitations`, 'champion', { streetIds: ['elm'] });
    if (join)
      for (const household of ['h1', 'h2'])
        expect((await call('POST', `/api/challenges/${challenge.id}/membership`, household)).statusCode).toBe(201);
    return challenge;
  };
  const board = (id: unknown) => call('GET', `/api/challenges/${id}/leaderboard`, 'h1');
  const listing = async (query = '') => (await ok('GET', `/api/neighbourhoods/n1/challenges${query}`, 'h3')) as Body[];
  const mine = async (id: unknown) =>
    ((await ok('GET', '/api/households/h1/challenges', 'h1')) as Body[]).find((c) => c.challengeId === id);

  it('says where every challenge is: upcoming, running or finished, in each representation', async () => {
    const upcoming = await created({ name: 'April Tap', startsOn: '2026-04-01' });
    const running = await created({ name: 'March Tap', startsOn: '2026-03-01', targetSaving: 0.15 });
    const finished = await created({ name: 'February Tap', startsOn: '2026-02-01', endsOn: '2026-02-20' }, { join: false });
    expect(upcoming).toMatchObject({ status: 'upcoming', baselineFrom: '2026-03-04', baselineTo: '2026-03-31' });
    expect(running).toMatchObject({ status: 'running' });
    expect(finished).toMatchObject({ status: 'finished' });
    expect(await ok('GET', `/api/challenges/${running.id}`, 'h3')).toStrictEqual(running);
    const listed = await listing();
    for (const challenge of [upcoming, running, finished])
      expect(listed).toContainEqual({
        id: challenge.id,
        name: challenge.name,
        template: 'personal_best',
        startsOn: challenge.startsOn,
        endsOn: challenge.endsOn,
        status: challenge.status,
      });
    // The household's own entries keep `status` (its standing) and say the challenge's apart, with its target.
    const entry = await mine(running.id);
    expect(entry).toMatchObject({ phase: 'running', challengeStatus: 'running', status: 'ranked', targetSaving: 0.15 });
    const reached = (await board(running.id)).json().target.reached;
    expect(reached).toBeCloseTo(0.15, 9);
    expect(entry?.targetReached).toBe(reached);
    expect(await mine(upcoming.id)).toMatchObject({ challengeStatus: 'upcoming', targetSaving: null, targetReached: null });
    // Offered with its status to a household invited that has not joined.
    await ok('POST', `/api/challenges/${upcoming.id}/invitations`, 'champion', { householdIds: ['h3'] });
    expect(await ok('GET', '/api/households/h3/invitations', 'h3')).toContainEqual(
      expect.objectContaining({ challengeId: upcoming.id, phase: 'upcoming', status: 'upcoming' }),
    );
  });

  it('changes name and target at any time before archiving, and the board shows the new target at once', async () => {
    const running = await created({ name: 'Target Practice', startsOn: '2026-03-01', targetSaving: 0.15 });
    const url = `/api/challenges/${running.id}`;
    expect((await board(running.id)).json().target.saving).toBe(0.15);
    const changed = await ok('PATCH', url, 'champion', { name: '  Target Practice II  ', targetSaving: 0.2 });
    expect(changed).toStrictEqual({ ...running, name: 'Target Practice II', targetSaving: 0.2 });
    // The cached board was dropped: the new target is there within the 5 s the board is kept.
    expect((await board(running.id)).json().target).toMatchObject({ saving: 0.2 });
    expect(await mine(running.id)).toMatchObject({ name: 'Target Practice II', targetSaving: 0.2 });
    // null removes the target.
    expect(await ok('PATCH', url, 'admin', { targetSaving: null })).toMatchObject({ targetSaving: null });
    expect((await board(running.id)).json().target).toBeNull();
    expect(await mine(running.id)).toMatchObject({ targetSaving: null, targetReached: null });
    // Dates equal to the present ones are no change, so a form may send them back.
    expect(
      await ok('PATCH', url, 'champion', { name: 'Back Again', startsOn: running.startsOn, endsOn: running.endsOn }),
    ).toMatchObject({ name: 'Back Again', startsOn: '2026-03-01', endsOn: '2026-03-28' });
    // Different dates once it has started: refused, nothing changed.
    await refused('PATCH', url, 'champion', { name: 'Moved', startsOn: '2026-03-08' }, 409, 'challenge_started');
    await refused('PATCH', url, 'champion', { endsOn: '2026-04-10' }, 409, 'challenge_started');
    expect(await ok('GET', url, 'h1')).toMatchObject({ name: 'Back Again', startsOn: '2026-03-01', endsOn: '2026-03-28' });
    // A finished challenge's target may still change.
    const finished = await created({ name: 'Old Target', startsOn: '2026-02-01', endsOn: '2026-02-20' }, { join: false });
    expect(await ok('PATCH', `/api/challenges/${finished.id}`, 'champion', { targetSaving: 0.05 })).toMatchObject({
      status: 'finished',
      targetSaving: 0.05,
    });
  });

  it('moves an upcoming challenge, its derived baseline with its start and a given one not', async () => {
    const derived = await created({ name: 'Derived', startsOn: '2026-04-01' });
    expect(await ok('PATCH', `/api/challenges/${derived.id}`, 'champion', { startsOn: '2026-04-15' })).toStrictEqual({
      ...derived,
      startsOn: '2026-04-15',
      // The end stays where it was; the baseline is again the 28 days before the start.
      endsOn: '2026-04-28',
      baselineFrom: '2026-03-18',
      baselineTo: '2026-04-14',
    });
    const given = await created({ name: 'Given', startsOn: '2026-04-01', baselineFrom: '2026-01-01', baselineTo: '2026-01-28' });
    expect(
      await ok('PATCH', `/api/challenges/${given.id}`, 'champion', { startsOn: '2026-05-01', endsOn: '2026-05-31' }),
    ).toMatchObject({ startsOn: '2026-05-01', endsOn: '2026-05-31', baselineFrom: '2026-01-01', baselineTo: '2026-01-28' });
    // Only its end given: the end stays, the beginning 28 days back from it stays too.
    const toGiven = await created({ name: 'To Given', startsOn: '2026-04-01', baselineTo: '2026-03-20' });
    expect(toGiven).toMatchObject({ baselineFrom: '2026-02-21', baselineTo: '2026-03-20' });
    expect(await ok('PATCH', `/api/challenges/${toGiven.id}`, 'champion', { startsOn: '2026-04-20' })).toMatchObject({
      baselineFrom: '2026-02-21',
      baselineTo: '2026-03-20',
    });
    // …and a start moved onto it is refused as at creation.
    await refused('PATCH', `/api/challenges/${toGiven.id}`, 'champion', { startsOn: '2026-03-15' }, 400, 'baseline_after_start');
    // Only its beginning given: the end follows the start, the beginning stays.
    const fromGiven = await created({ name: 'From Given', startsOn: '2026-04-01', baselineFrom: '2026-02-01' });
    expect(await ok('PATCH', `/api/challenges/${fromGiven.id}`, 'champion', { startsOn: '2026-04-10' })).toMatchObject({
      baselineFrom: '2026-02-01',
      baselineTo: '2026-04-09',
    });
    // Stored without saying where its window came from (as before migration 015): one where the
    // start puts it was derived, another was given.
    await insertChallenge(fixture.db, personalBest('stored-given', 'n1', 'Stored', '2026-04-01', '2026-04-28'));
    await insertChallenge(fixture.db, {
      ...personalBest('stored-derived', 'n1', 'Stored Too', '2026-04-01', '2026-04-28'),
      baselineFrom: '2026-03-04',
      baselineTo: '2026-03-31',
    });
    expect(await ok('PATCH', '/api/challenges/stored-given', 'champion', { startsOn: '2026-04-08' })).toMatchObject({
      baselineFrom: '2026-01-01',
      baselineTo: '2026-01-28',
    });
    expect(await ok('PATCH', '/api/challenges/stored-derived', 'champion', { startsOn: '2026-04-08' })).toMatchObject({
      baselineFrom: '2026-03-11',
      baselineTo: '2026-04-07',
    });
  });

  it('checks a change as creation does, and refuses hostile bodies without changing anything', async () => {
    const upcoming = await created({ name: 'Checked', startsOn: '2026-04-01', targetSaving: 0.1 });
    const url = `/api/challenges/${upcoming.id}`;
    await refused('PATCH', url, 'champion', { endsOn: '2026-03-31' }, 400, 'ends_before_start');
    await refused('PATCH', url, 'champion', { endsOn: '2027-04-02' }, 400, 'challenge_too_long');
    // The derived baseline would begin in 1999.
    await refused('PATCH', url, 'champion', { startsOn: '2000-01-10', endsOn: '2000-01-20' }, 400, 'date_out_of_range');
    const invalid = async (payload: unknown, code?: string) => {
      const body = await refused('PATCH', url, 'champion', payload, 400, 'invalid_fields');
      if (code) expect(body.fields.map((f: { code: string }) => f.code)).toContain(code);
    };
    await invalid({}, 'nothing_to_change');
    await invalid({ scope: 'teams', public: true, baselineFrom: '2026-01-01' }, 'nothing_to_change');
    await invalid({ name: '  a  ' }, 'too_small');
    await invalid({ name: 'x'.repeat(100_000) }, 'too_big');
    await invalid({ name: 42 });
    for (const targetSaving of [0, 1, -0.1, 1.5, '0.1', true, [0.1], { saving: 0.1 }]) await invalid({ targetSaving });
    for (const startsOn of ['2026-02-30', '2026-04-01T00:00:00Z', '1999-12-31', '2101-01-01', '', "2026-04-01'; --", null])
      await invalid({ startsOn });
    for (const payload of [[], [{ name: 'Array' }], 'Name', 7, null]) await invalid(payload);
    // A prototype in JSON is refused by the parser; a body that is not JSON is not read.
    for (const [type, payload] of [
      ['application/json', '{"__proto__": {"name": "Polluted"}}'],
      ['application/json', '{"constructor": {"prototype": {"name": "Polluted"}}}'],
      ['application/json', '{"name": "Unfinished'],
      ['text/plain', 'name=Plain'],
    ] as const) {
      const response = await fixture.app.inject({
        method: 'PATCH',
        url,
        headers: { ...bearer(callers.champion as Caller), 'content-type': type },
        payload,
      });
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect(await ok('GET', url, 'h1')).toStrictEqual(upcoming);
    // SQL in a name is a name.
    const name = "Robert'); DROP /* */ TABLE challenges;--";
    expect(await ok('PATCH', url, 'champion', { name })).toMatchObject({ name });
    expect((await listing()).map((c) => c.name)).toContain(name);
  });

  it("decides dates on the neighbourhood's local date", async () => {
    // 6 March has begun in Auckland, not yet in London.
    for (const [id, neighbourhoodId] of [
      ['harbour-6', 'n3'],
      ['riverside-6', 'n1'],
    ] as const)
      await insertChallenge(fixture.db, personalBest(id, neighbourhoodId, 'Sixth', '2026-03-06', '2026-04-02'));
    await refused('PATCH', '/api/challenges/harbour-6', 'harbourChampion', { startsOn: '2026-03-09' }, 409, 'challenge_started');
    await refused('POST', '/api/challenges/harbour-6/cancel', 'harbourChampion', undefined, 409, 'challenge_started');
    expect(await ok('GET', '/api/challenges/harbour-6', 'harbourChampion')).toMatchObject({ status: 'running' });
    expect(await ok('PATCH', '/api/challenges/riverside-6', 'champion', { startsOn: '2026-03-09' })).toMatchObject({
      status: 'upcoming',
      startsOn: '2026-03-09',
    });
    // Ended on its first day in Auckland: yesterday is before it, so its one day is today.
    expect(await ok('POST', '/api/challenges/harbour-6/end', 'harbourChampion')).toMatchObject({
      status: 'running',
      endsOn: '2026-03-06',
    });
  });

  it('ends a running challenge early: yesterday by default, or a day given, and its board counts up to it', async () => {
    const early = await created({ name: 'Ended Early', startsOn: '2026-03-01', targetSaving: 0.1 });
    const ended = await ok('POST', `/api/challenges/${early.id}/end`, 'champion');
    expect(ended).toStrictEqual({ ...early, endsOn: '2026-03-04', status: 'finished' });
    const endedBoard = (await board(early.id)).json();
    expect(endedBoard).toMatchObject({ completeDays: 4, lastCompleteDay: '2026-03-04' });
    expect(endedBoard.target.reached).toBeCloseTo(0.15, 9);
    expect(await mine(early.id)).toMatchObject({ phase: 'finished', challengeStatus: 'finished', endsOn: '2026-03-04' });
    // Ended: not again.
    await refused('POST', `/api/challenges/${early.id}/end`, 'champion', {}, 409, 'challenge_not_running');

    const chosen = await created({ name: 'Ended On A Day', startsOn: '2026-03-01' });
    const url = `/api/challenges/${chosen.id}/end`;
    for (const lastDay of ['2026-02-28', '2026-03-06', '2026-03-29'])
      await refused('POST', url, 'champion', { lastDay }, 400, 'last_day_out_of_range');
    for (const lastDay of ['2026-03-32', 'yesterday', 20260303, null])
      await refused('POST', url, 'champion', { lastDay }, 400, 'invalid_fields');
    expect(await ok('POST', url, 'admin', { lastDay: '2026-03-02' })).toMatchObject({ endsOn: '2026-03-02', status: 'finished' });
    expect((await board(chosen.id)).json()).toMatchObject({ completeDays: 2, lastCompleteDay: '2026-03-02' });

    // Today is not in the future: it runs to the end of today.
    const today = await created({ name: 'Ends Today', startsOn: '2026-03-01' }, { join: false });
    expect(await ok('POST', `/api/challenges/${today.id}/end`, 'champion', { lastDay: '2026-03-05' })).toMatchObject({
      endsOn: '2026-03-05',
      status: 'running',
    });
    // Not started yet: nothing to end.
    const upcoming = await created({ name: 'Not Yet', startsOn: '2026-04-01' }, { join: false });
    await refused('POST', `/api/challenges/${upcoming.id}/end`, 'champion', {}, 409, 'challenge_not_running');
  });

  it('cancels a challenge before it starts: not offered, not joinable, no board, public or not', async () => {
    const garden = await created({ name: 'Garden', startsOn: '2026-04-01', targetSaving: 0.1 }, { join: false });
    const id = garden.id as string;
    expect((await call('POST', `/api/challenges/${id}/membership`, 'h1')).statusCode).toBe(201);
    await ok('PUT', `/api/challenges/${id}/visibility`, 'champion', { public: true });
    expect((await board(id)).statusCode).toBe(200);
    expect((await fixture.app.inject({ method: 'GET', url: `/api/public/challenges/${id}/leaderboard` })).statusCode).toBe(200);
    expect(await ok('GET', '/api/households/h2/invitations', 'h2')).toContainEqual(expect.objectContaining({ challengeId: id }));

    expect(await ok('POST', `/api/challenges/${id}/cancel`, 'champion')).toStrictEqual({
      ...garden,
      public: true,
      status: 'cancelled',
    });
    expect(await ok('GET', `/api/challenges/${id}`, 'h2')).toMatchObject({ status: 'cancelled' });
    expect(await listing()).toContainEqual(expect.objectContaining({ id, status: 'cancelled' }));
    // Not offered to households, and not joinable.
    expect((await ok('GET', '/api/households/h2/invitations', 'h2')).map((c: Body) => c.challengeId)).not.toContain(id);
    await refused('POST', `/api/challenges/${id}/membership`, 'h2', undefined, 409, 'challenge_cancelled');
    // No board, signed in, streamed or public: the board cached a moment ago went with it.
    for (const response of [
      await board(id),
      await call('GET', `/api/challenges/${id}/stream?once=true`, 'champion'),
      await fixture.app.inject({ method: 'GET', url: `/api/public/challenges/${id}/leaderboard` }),
    ]) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json()).toMatchObject({ error: 'not_found', reason: 'challenge_cancelled' });
    }
    // The household that joined sees it cancelled, with no standing.
    expect(await mine(id)).toMatchObject({
      phase: 'upcoming',
      challengeStatus: 'cancelled',
      status: 'not_rated_yet',
      rank: null,
      of: 0,
      targetSaving: 0.1,
      targetReached: null,
    });
    // Not among the challenges the champion's roster shows a household in or invited to.
    const roster = await ok('GET', '/api/neighbourhoods/n1/households', 'champion');
    for (const household of roster.households as { challenges: Body[]; invitedTo: Body[] }[])
      expect([...household.challenges, ...household.invitedTo].map((c) => c.challengeId)).not.toContain(id);
    // Nothing more happens to it; cancelling again changes nothing.
    await refused('PATCH', `/api/challenges/${id}`, 'champion', { name: 'Revived' }, 409, 'challenge_cancelled');
    await refused('POST', `/api/challenges/${id}/invitations`, 'champion', { everyone: true }, 409, 'challenge_cancelled');
    await refused('POST', `/api/challenges/${id}/end`, 'champion', {}, 409, 'challenge_cancelled');
    await refused('POST', `/api/challenges/${id}/archive`, 'champion', undefined, 409, 'challenge_cancelled');
    expect(await ok('POST', `/api/challenges/${id}/cancel`, 'admin', {})).toMatchObject({ status: 'cancelled', name: 'Garden' });

    // Once it has started (today is its first day), or when finished or archived: too late.
    const started = await created({ name: 'Started Today', startsOn: '2026-03-05' }, { join: false });
    await refused('POST', `/api/challenges/${started.id}/cancel`, 'champion', undefined, 409, 'challenge_started');
    expect(await ok('GET', `/api/challenges/${started.id}`, 'h1')).toMatchObject({ status: 'running' });
  });

  it('archives a finished challenge: its board stays, it leaves the listing unless asked for', async () => {
    const winter = await created({ name: 'Winter', startsOn: '2026-02-01', endsOn: '2026-02-20' });
    const id = winter.id as string;
    const running = await created({ name: 'Still Running', startsOn: '2026-03-01' }, { join: false });
    const upcoming = await created({ name: 'Still To Come', startsOn: '2026-04-01' }, { join: false });
    for (const other of [running, upcoming])
      await refused('POST', `/api/challenges/${other.id}/archive`, 'champion', undefined, 409, 'challenge_not_finished');
    const before = (await board(id)).json();

    expect(await ok('POST', `/api/challenges/${id}/archive`, 'champion')).toStrictEqual({ ...winter, status: 'archived' });
    expect((await listing()).map((c) => c.id)).not.toContain(id);
    expect(await listing('?include=archived')).toContainEqual(expect.objectContaining({ id, status: 'archived' }));
    await refused('GET', '/api/neighbourhoods/n1/challenges?include=everything', 'h1', undefined, 400, 'invalid_fields');
    // Its board is kept, for evidence.
    expect((await board(id)).json()).toStrictEqual(before);
    expect(await mine(id)).toMatchObject({ phase: 'finished', challengeStatus: 'archived' });
    expect(await ok('GET', `/api/challenges/${id}`, 'h1')).toMatchObject({ status: 'archived' });
    // Nothing more happens to it; archiving again changes nothing.
    await refused('POST', `/api/challenges/${id}/membership`, 'h3', undefined, 409, 'challenge_archived');
    await refused('PATCH', `/api/challenges/${id}`, 'champion', { targetSaving: 0.3 }, 409, 'challenge_archived');
    await refused('POST', `/api/challenges/${id}/invitations`, 'champion', { everyone: true }, 409, 'challenge_archived');
    await refused('POST', `/api/challenges/${id}/cancel`, 'champion', undefined, 409, 'challenge_started');
    await refused('POST', `/api/challenges/${id}/end`, 'champion', undefined, 409, 'challenge_not_running');
    expect(await ok('POST', `/api/challenges/${id}/archive`, 'admin')).toMatchObject({ status: 'archived' });
  });

  it("lets only the challenge's own champion and admins change it, and answers an unknown one with 404", async () => {
    const guarded = await created({ name: 'Guarded', startsOn: '2026-04-01' }, { join: false });
    const finished = await created({ name: 'Guarded Finished', startsOn: '2026-02-01', endsOn: '2026-02-20' }, { join: false });
    const routes: [Method, string, unknown][] = [
      ['PATCH', `/api/challenges/${guarded.id}`, { name: 'Taken Over' }],
      ['POST', `/api/challenges/${guarded.id}/cancel`, undefined],
      ['POST', `/api/challenges/${guarded.id}/end`, {}],
      ['POST', `/api/challenges/${finished.id}/archive`, undefined],
    ];
    for (const [method, url, payload] of routes)
      for (const [caller, status] of [
        ['anonymous', 401],
        ['h1', 403],
        ['utility', 403],
        ['farChampion', 403],
        ['harbourChampion', 403],
      ] as const) {
        const response = await call(method, url, caller, payload);
        expect(response.statusCode, `${method} ${url} as ${caller}: ${response.body}`).toBe(status);
      }
    expect(await ok('GET', `/api/challenges/${guarded.id}`, 'h1')).toStrictEqual(guarded);
    expect(await ok('GET', `/api/challenges/${finished.id}`, 'h1')).toStrictEqual(finished);
    for (const [method, path, payload] of [
      ['PATCH', '', { name: 'Nobody' }],
      ['POST', '/end', undefined],
      ['POST', '/cancel', undefined],
      ['POST', '/archive', undefined],
    ] as const) {
      await refused(method, `/api/challenges/no-such-challenge${path}`, 'admin', payload, 404, 'challenge_unknown');
      const hostile = await call(method, `/api/challenges/..%2F..%2Fadmin${path}`, 'admin', payload);
      expect(hostile.statusCode).toBe(400);
    }
  });
});
