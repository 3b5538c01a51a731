// An operator editing and archiving a neighbourhood, and organisers renaming streets: what each
// changes, what a time zone change forgets (days kept by the old zone's edges), and everything an
// archived neighbourhood refuses while its data stays.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChallenge, updateChallenge } from '../../../storage/metadata/repositories/challenges.ts';
import {
  householdsWithKeptDays,
  insertVerifiedWaterDay,
  insertWaterDay,
  verifiedDaysOf,
} from '../../../storage/metadata/testing/inspect.ts';
import {
  bearer,
  type Caller,
  callerWithToken,
  databaseKinds,
  householdInvitationCode,
  personalBest,
  seedNeighbourhoods,
  springChallenge,
  testApp,
} from '../../testing/fixtures.ts';

type Fixture = Awaited<ReturnType<typeof testApp>>;

// 10 March 2026, 23:30 UTC: still the 10th in London, already the 11th in Auckland.
const NOW = Date.parse('2026-03-10T23:30:00Z');

describe.each(databaseKinds)('editing and archiving neighbourhoods on %s', (kind) => {
  let fixture: Fixture;
  let admin: Caller;
  let champion: Caller;
  let farChampion: Caller;

  beforeAll(async () => {
    fixture = await testApp(kind, { rateLimits: false, now: () => NOW });
    await seedNeighbourhoods(fixture.db);
    admin = await callerWithToken(fixture.db, 'admin', 'admin');
    champion = await callerWithToken(fixture.db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    farChampion = await callerWithToken(fixture.db, 'far-champion', 'champion', { neighbourhoodId: 'n2' });
  });
  afterAll(async () => fixture?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, caller: Caller, payload?: object) =>
    fixture.app.inject({ method, url, headers: bearer(caller), ...(payload === undefined ? {} : { payload }) });
  const listed = async (query = '') =>
    (
      (await call('GET', `/api/neighbourhoods${query}`, admin)).json() as {
        id: string;
        name: string;
        timeZone: string;
        archived: boolean;
      }[]
    ).map((n) => [n.id, n.name, n.timeZone, n.archived]);

  it('renames a neighbourhood, and refuses an empty change, an unknown zone or neighbourhood, and everyone but admins', async () => {
    const renamed = await call('PATCH', '/api/neighbourhoods/n1', admin, { name: '  Riverside   North ' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toStrictEqual({ id: 'n1', name: 'Riverside North', timeZone: 'Europe/London', archived: false });
    expect(await listed()).toContainEqual(['n1', 'Riverside North', 'Europe/London', false]);

    const empty = await call('PATCH', '/api/neighbourhoods/n1', admin, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ reason: 'nothing_to_change' });
    const zone = await call('PATCH', '/api/neighbourhoods/n1', admin, { timeZone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.json()).toMatchObject({ reason: 'time_zone_unknown' });
    const unknown = await call('PATCH', '/api/neighbourhoods/nowhere', admin, { name: 'Nowhere' });
    expect(unknown.statusCode).toBe(404);
    const byChampion = await call('PATCH', '/api/neighbourhoods/n1', champion, { name: 'Mine now' });
    expect(byChampion.statusCode).toBe(403);
    expect(await listed()).toContainEqual(['n1', 'Riverside North', 'Europe/London', false]);
  });

  it("changes the time zone before any challenge starts (on either zone's date), forgetting what was kept by the old days", async () => {
    // Upcoming on London's 10 March, but Auckland's date is already the 11th, its first day.
    await insertChallenge(fixture.db, personalBest('soon', 'n1', 'Soon', '2026-03-11', '2026-03-24'));
    await insertWaterDay(fixture.db, 'h1', '2026-03-01', 300);
    await insertWaterDay(fixture.db, 'h9', '2026-03-01', 300);
    await insertVerifiedWaterDay(fixture.db, 'n1', '2026-03-01', 3);

    const auckland = await call('PATCH', '/api/neighbourhoods/n1', admin, { timeZone: 'Pacific/Auckland' });
    expect(auckland.statusCode, auckland.body).toBe(409);
    expect(auckland.json()).toMatchObject({ reason: 'time_zone_locked', fields: [{ field: 'timeZone' }] });

    const reykjavik = await call('PATCH', '/api/neighbourhoods/n1', admin, { timeZone: 'Atlantic/Reykjavik' });
    expect(reykjavik.statusCode, reykjavik.body).toBe(200);
    expect(reykjavik.json()).toMatchObject({ timeZone: 'Atlantic/Reykjavik' });
    expect(await householdsWithKeptDays(fixture.db)).toStrictEqual(['h9']);
    expect(await verifiedDaysOf(fixture.db, 'n1')).toStrictEqual([]);

    // Once a challenge has started the zone stays; a cancelled one never started.
    await insertChallenge(fixture.db, springChallenge);
    const started = await call('PATCH', '/api/neighbourhoods/n1', admin, { timeZone: 'Europe/London' });
    expect(started.statusCode).toBe(409);
    expect(started.json()).toMatchObject({ reason: 'time_zone_locked' });
    const renameStill = await call('PATCH', '/api/neighbourhoods/n1', admin, {
      name: 'Riverside',
      timeZone: 'Atlantic/Reykjavik',
    });
    expect(renameStill.statusCode, renameStill.body).toBe(200);
  });

  it('lets organisers rename their streets, not to a name another street has', async () => {
    const renamed = await call('PATCH', '/api/neighbourhoods/n1/streets/elm', champion, { name: 'Elm  Avenue' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toStrictEqual({ id: 'elm', name: 'Elm Avenue' });
    const streets = (await call('GET', '/api/neighbourhoods/n1/streets', champion)).json() as { id: string; name: string }[];
    expect(streets.map((street) => [street.id, street.name])).toStrictEqual([
      ['elm', 'Elm Avenue'],
      ['oak', 'Oak Road'],
    ]);
    expect((await call('PATCH', '/api/neighbourhoods/n1/streets/elm', champion, { name: 'ELM AVENUE' })).statusCode).toBe(200);

    const taken = await call('PATCH', '/api/neighbourhoods/n1/streets/elm', champion, { name: 'oak road' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ reason: 'street_name_taken', fields: [{ field: 'name' }] });
    const elsewhere = await call('PATCH', '/api/neighbourhoods/n1/streets/far', champion, { name: 'Mine' });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ reason: 'street_unknown' });
    const far = await call('PATCH', '/api/neighbourhoods/n1/streets/elm', farChampion, { name: 'Theirs' });
    expect(far.statusCode).toBe(403);
    const blank = await call('PATCH', '/api/neighbourhoods/n1/streets/elm', champion, { name: '  ' });
    expect(blank.statusCode).toBe(400);
  });

  it('archives a neighbourhood once its challenges are over: listed only when asked, taking nothing new, its data kept', async () => {
    await insertChallenge(fixture.db, personalBest('far-running', 'n2', 'Far Running', '2026-03-01', '2026-03-20'));
    const code = await householdInvitationCode(fixture.db, { neighbourhoodId: 'n2', streetId: 'far' });

    expect((await call('POST', '/api/neighbourhoods/n2/archive', farChampion)).statusCode).toBe(403);
    const running = await call('POST', '/api/neighbourhoods/n2/archive', admin);
    expect(running.statusCode).toBe(409);
    expect(running.json()).toMatchObject({ reason: 'challenge_not_over' });
    expect(running.json().message).toContain('Far Running');

    await updateChallenge(fixture.db, 'far-running', {
      name: 'Far Running',
      targetSaving: null,
      startsOn: '2026-03-01',
      endsOn: '2026-03-09',
      baselineFrom: '2026-01-01',
      baselineTo: '2026-01-28',
      lifecycle: 'active',
    });
    const archived = await call('POST', '/api/neighbourhoods/n2/archive', admin);
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json()).toStrictEqual({ id: 'n2', name: 'Hilltop', timeZone: 'Europe/London', archived: true });
    expect((await call('POST', '/api/neighbourhoods/n2/archive', admin)).statusCode).toBe(200);

    expect((await listed()).map(([id]) => id)).toStrictEqual(['n1']);
    expect(await listed('?include=archived')).toStrictEqual([
      ['n2', 'Hilltop', 'Europe/London', true],
      ['n1', 'Riverside', 'Atlantic/Reykjavik', false],
    ]);

    const refusals = [
      await call('POST', '/api/neighbourhoods/n2/streets', admin, { names: ['New Lane'] }),
      await call('POST', '/api/neighbourhoods/n2/invitations', farChampion, { role: 'household', streetId: 'far' }),
      await call('POST', '/api/neighbourhoods/n2/invitations', admin, { role: 'champion' }),
      await call('POST', '/api/neighbourhoods/n2/challenges', farChampion, { template: 'personal_best', startsOn: '2026-04-06' }),
      await call('POST', '/api/challenges/far-running/invitations', farChampion, { everyone: true }),
      await call('PATCH', '/api/neighbourhoods/n2', admin, { name: 'Hilltop Again' }),
      await call('PATCH', '/api/neighbourhoods/n2/streets/far', farChampion, { name: 'Far Road' }),
      await fixture.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { code, email: 'late@example.org', password: 'kettle lantern orchard', alias: 'Latecomer' },
      }),
    ];
    for (const refused of refusals) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({ reason: 'neighbourhood_archived' });
    }
    // Its data stays, for evidence.
    const streets = (await call('GET', '/api/neighbourhoods/n2/streets', farChampion)).json();
    expect(streets).toStrictEqual([{ id: 'far', name: 'Far Lane', households: 1 }]);
    expect((await call('GET', '/api/challenges/far-running/leaderboard', admin)).statusCode).toBe(200);
  });
});
