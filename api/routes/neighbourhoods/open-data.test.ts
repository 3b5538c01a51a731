// Open-data releases through the API on a real database (docs/open-data.md): the champion's
// decision, the package checked against the standard's JSON Schemas, the privacy rules of the
// utility aggregates on every figure (small streets, the neighbourhood minus the shown streets,
// consent withdrawn before a release), releases that never change, the public's access and no
// more, withdrawal. Riverside's numbers are api/testing/riverside.ts's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHousehold } from '../../../storage/metadata/repositories/households.ts';
import { insertMeters } from '../../../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import { markTouchedDaysDirty } from '../../../storage/metadata/rollups.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, testApp } from '../../testing/fixtures.ts';
import { checkDataPackage, type DataPackage, parseCsv } from '../../testing/frictionless.ts';
import { writeSteadyWater } from '../../testing/readings.ts';
import { seedRiverside } from '../../testing/riverside.ts';

const NOW = Date.parse('2026-03-12T12:00:00Z');
const RELEASES = '/api/neighbourhoods/n1/open-data/releases';
const PUBLIC = '/api/public/open-data';
const RESOURCES = ['daily-neighbourhood.csv', 'daily-street.csv', 'data-quality.csv'];
const NINE_DAYS = Array.from({ length: 9 }, (_, i) => `2026-03-0${i + 1}`);
const decision = { from: '2026-03-01', to: '2026-03-09', licence: 'ODC-PDDL-1.0', confirm: 'n1' };
const anonymous: Caller = { name: 'anonymous', token: null, accountId: null };

describe.each(databaseKinds)('open-data releases on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  const callers: Record<string, Caller> = {};
  /** Release 1's files as first served. */
  let first: Map<string, string>;

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, caller: Caller, payload?: object) =>
    fixture.app.inject({ method, url, headers: bearer(caller), ...(payload ? { payload } : {}) });
  const publish = (payload: object, caller = callers.champion as Caller) => inject('POST', RELEASES, caller, payload);
  /** A release's files, fetched as anyone would. */
  async function releaseFiles(release: string): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    for (const name of ['datapackage.json', ...RESOURCES]) {
      const response = await inject('GET', `${PUBLIC}/n1/${release}/${name}`, anonymous);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(200);
      files.set(name, response.body);
    }
    return files;
  }
  const rows = (files: Map<string, string>, name: string) => parseCsv(files.get(name) ?? '').slice(1);
  const lines = (files: Map<string, string>, name: string) => (files.get(name) ?? '').split('\r\n').slice(1, -1);

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => NOW, rateLimits: false });
    const { db, store } = fixture;
    await seedRiverside(db, store);
    callers.champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    callers.utility = await callerWithToken(db, 'utility', 'utility', { neighbourhoodId: 'n1' });
    callers.admin = await callerWithToken(db, 'admin', 'admin');
    for (const id of ['x', 'e0']) callers[id] = await callerWithToken(db, id, 'household', { householdId: id });
  });
  afterAll(async () => fixture?.close());

  it("publishes by the champion's decision under a licence, as a package valid against the standard", async () => {
    const response = await publish(decision);
    expect(response.statusCode, response.body).toBe(201);
    // 9 days × (the neighbourhood and 3 streets): the neighbourhood and Elm Street shown each day.
    expect(response.json()).toMatchObject({
      id: '1',
      neighbourhoodId: 'n1',
      title: 'Riverside: daily water use, 2026-03-01 to 2026-03-09',
      licence: 'ODC-PDDL-1.0',
      from: '2026-03-01',
      to: '2026-03-09',
      publishedAt: '2026-03-12T12:00:00.000Z',
      datapackage: `${PUBLIC}/n1/1/datapackage.json`,
      withdrawn: null,
      files: ['datapackage.json', ...RESOURCES],
      figures: { shown: 18, withheld: 18 },
    });

    first = await releaseFiles('1');
    const descriptor = JSON.parse(first.get('datapackage.json') ?? '') as DataPackage;
    expect(checkDataPackage(descriptor, first)).toStrictEqual([]);
    expect(descriptor).toMatchObject({
      name: 'ontap-n1-1',
      licenses: [{ name: 'ODC-PDDL-1.0', path: 'https://opendatacommons.org/licenses/pddl/1-0/' }],
    });
    // No electricity or gas meters: water only. 8712 L over 36 homes, 72 people.
    expect(lines(first, 'daily-neighbourhood.csv')).toStrictEqual(NINE_DAYS.map((d) => `${d},water,L,36,8712,242,121,`));
    expect(lines(first, 'daily-street.csv').slice(0, 3)).toStrictEqual([
      '2026-03-01,Ash Grove,water,L,,,,,complementary',
      '2026-03-01,Elm Street,water,L,17,4152,244.2,122.1,',
      '2026-03-01,Oak Road,water,L,,,,,too_few_households',
    ]);
    expect(lines(first, 'data-quality.csv')).toStrictEqual(NINE_DAYS.map((d) => `${d},water,36,36,1,`));

    const listing = await inject('GET', `${PUBLIC}/n1`, anonymous);
    expect(listing.statusCode, listing.body).toBe(200);
    expect(listing.json().releases.map((r: { id: string }) => r.id)).toStrictEqual(['1']);
  });

  it('serves a release immutable for a day, with an ETag, to any origin', async () => {
    const response = await inject('GET', `${PUBLIC}/n1/1/daily-street.csv`, anonymous);
    expect(response.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'cache-control': 'public, max-age=86400, immutable',
      'access-control-allow-origin': '*',
    });
    const again = await fixture.app.inject({
      method: 'GET',
      url: `${PUBLIC}/n1/1/daily-street.csv`,
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const descriptor = await inject('GET', `${PUBLIC}/n1/1/datapackage.json`, anonymous);
    expect(descriptor.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(descriptor.body).toBe(first.get('datapackage.json'));
  });

  it('withholds small streets so that the neighbourhood minus the shown streets cannot be split', async () => {
    const neighbourhood = new Map(rows(first, 'daily-neighbourhood.csv').map((r) => [r[0], Number(r[4])]));
    const streets = rows(first, 'daily-street.csv');
    for (const date of NINE_DAYS) {
      const ofDay = streets.filter((r) => r[0] === date);
      const shown = ofDay.filter((r) => r[8] === '');
      const withheld = ofDay.filter((r) => r[8] !== '').map((r) => r[1]);
      // The attack: the neighbourhood minus the shown streets, hoping for Oak Road's 3 homes (720 L).
      const remainder = (neighbourhood.get(date) ?? 0) - shown.reduce((sum, r) => sum + Number(r[5]), 0);
      expect(withheld).toStrictEqual(['Ash Grove', 'Oak Road']);
      // It gets Ash Grove and Oak Road together: 16 × 240 + 3 × 240 over 19 homes, not Oak Road.
      expect(remainder).toBe(4560);
      expect(remainder).not.toBe(720);
    }
    // Against the figures utility partners get for the same days: every figure shown is theirs, so
    // the two sources differenced give nothing either.
    const utility = await inject(
      'GET',
      '/api/neighbourhoods/n1/aggregates?from=2026-03-01&to=2026-03-09',
      callers.utility as Caller,
    );
    for (const group of utility.json().groups as {
      group: string;
      days: { date: string; households: number | null; total: number | null }[];
    }[])
      for (const day of group.days) {
        const row = streets.find((r) => r[0] === day.date && r[1] === group.group);
        expect([row?.[4] || null, row?.[5] || null]).toStrictEqual([
          day.households === null ? null : String(day.households),
          day.total === null ? null : String(day.total),
        ]);
      }
  });

  it('refuses a release without the decision or a licence, and hostile input, storing nothing', async () => {
    const refusals: [object, string][] = [
      [{}, 'licence'],
      [{ ...decision, licence: undefined }, 'licence'],
      [{ ...decision, confirm: undefined }, 'confirm'],
      [{ ...decision, confirm: 'n2' }, 'confirm_mismatch'],
      [{ ...decision, licence: 'MIT' }, 'licence'],
      [{ ...decision, licence: 'cc-by-4.0' }, 'licence'],
      [{ ...decision, from: '2026-02-30' }, 'from'],
      [{ ...decision, from: 'last week' }, 'from'],
      [{ ...decision, from: '1999-12-31' }, 'from'],
      [{ ...decision, from: '2026-03-09', to: '2026-03-01' }, 'to_before_from'],
      [{ ...decision, from: '2016-03-01', to: '2026-03-01' }, 'span_too_long'],
      [{ ...decision, from: '2025-03-01', to: '2026-03-02' }, 'span_too_long'],
      [{ ...decision, to: '2026-03-12' }, 'days_not_settled'],
      [{ ...decision, title: 'x'.repeat(100_000) }, 'title'],
      [{ ...decision, title: 'Riverside\u202e atad' }, 'name_hidden_characters'],
      [{ ...decision, title: '   ' }, 'title'],
      [{ ...decision, confirm: 'n1'.repeat(200) }, 'confirm'],
    ];
    for (const [payload, problem] of refusals) {
      const response = await publish(payload);
      expect(response.statusCode, `${JSON.stringify(payload).slice(0, 120)}: ${response.body.slice(0, 300)}`).toBe(400);
      const body = response.json();
      expect([body.reason, ...(body.fields ?? []).flatMap((f: { field: string; code: string }) => [f.field, f.code])]).toContain(
        problem,
      );
    }
    // A neighbourhood id that climbs out of its path is refused before anything is looked up.
    const climbing = await inject('POST', '/api/neighbourhoods/..%2Fn1/open-data/releases', callers.admin as Caller, decision);
    expect(climbing.statusCode).toBe(400);
    expect((await inject('GET', `${PUBLIC}/n1`, anonymous)).json().releases).toHaveLength(1);
  });

  it('lets the public read releases and nothing else; a utility partner cannot publish', async () => {
    expect((await publish(decision, callers.utility)).json()).toMatchObject({ error: 'forbidden', reason: 'wrong_role' });
    expect((await publish(decision, anonymous)).statusCode).toBe(401);
    expect((await inject('POST', `${RELEASES}/1/withdraw`, anonymous, { reason: 'no reason' })).statusCode).toBe(401);
    expect((await inject('POST', `${RELEASES}/1/withdraw`, callers.champion as Caller, { reason: 'mine' })).statusCode).toBe(403);
    expect((await inject('GET', '/api/neighbourhoods/n1/aggregates?from=2026-03-01&to=2026-03-09', anonymous)).statusCode).toBe(
      401,
    );
    const refused: [string, number, string?][] = [
      [`${PUBLIC}/n1/1/..%2F..%2F..%2Fneighbourhoods%2Fn1%2Faggregates`, 400],
      // Dot segments are resolved before routing: /n1/1/.. is /n1/, which no route answers.
      [`${PUBLIC}/n1/1/..`, 404],
      [`${PUBLIC}/..%2Fneighbourhoods%2Fn1/1/datapackage.json`, 400],
      [`${PUBLIC}/n1/1/..%2F2%2Fdatapackage.json`, 400],
      [`${PUBLIC}/n1/0/datapackage.json`, 400],
      [`${PUBLIC}/n1/01/datapackage.json`, 400],
      [`${PUBLIC}/n1/1e3/datapackage.json`, 400],
      [`${PUBLIC}/n1/99999999999/datapackage.json`, 400],
      [`${PUBLIC}/n1/2/datapackage.json`, 404, 'release_unknown'],
      [`${PUBLIC}/n1/1/daily-street.json`, 404, 'file_unknown'],
      [`${PUBLIC}/n2/1/datapackage.json`, 404, 'release_unknown'],
      [`${PUBLIC}/n2`, 404, 'no_releases'],
      // …and climbing out of the public prefix leaves its access behind: the aggregates ask for a sign-in.
      [`${PUBLIC}/n1/1/../../../../neighbourhoods/n1/aggregates`, 401],
    ];
    for (const [url, status, reason] of refused) {
      const response = await inject('GET', url, anonymous);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
      if (reason) expect(response.json().reason).toBe(reason);
    }
  });

  it('keeps a release as published whatever changes later: consent, late readings, a renamed street', async () => {
    const { app, db, store } = fixture;
    // Swift goes private; e0 keeps to challenges; a0's second meter brings a backlog over every day
    // (5 L/h); the champion renames Oak Road.
    expect((await inject('PUT', '/api/households/x/consent', callers.x as Caller, { consent: 'private' })).statusCode).toBe(200);
    expect((await inject('PUT', '/api/households/e0/consent', callers.e0 as Caller, { consent: 'challenge' })).statusCode).toBe(
      200,
    );
    await insertMeters(db, [{ id: 'a0-w2', householdId: 'a0', kind: 'water' }]);
    const placement = { meterId: 'a0-w2', household: 'a0', street: 'ash', neighbourhood: 'n1' };
    await writeSteadyWater(store, placement, '2026-03-01T00:00:00Z', '2026-03-12T00:00:00Z', 5);
    await markTouchedDaysDirty(
      db,
      [{ household: 'a0', kind: 'water', from: Date.parse('2026-03-01T00:00:00Z'), to: Date.parse('2026-03-12T00:00:00Z') }],
      NOW,
    );
    const renamed = await inject('PATCH', '/api/neighbourhoods/n1/streets/oak', callers.champion as Caller, { name: 'Oak Lane' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    app.ontap.dailyUse.forget();

    expect(await releaseFiles('1')).toStrictEqual(first);
  });

  it('leaves out every household that stopped consenting to research before the release', async () => {
    const response = await publish({ ...decision, to: '2026-03-10', licence: 'CC-BY-4.0', title: 'Riverside water, March 2026' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ id: '2', title: 'Riverside water, March 2026' });
    const second = await releaseFiles('2');
    expect(checkDataPackage(JSON.parse(second.get('datapackage.json') ?? '') as DataPackage, second)).toStrictEqual([]);
    // 1–9 March were published counting Swift and e0: counted today they differ, so no figure of
    // those days is given. 10 March, first counted now: Elm Street 15 homes (3600 L), Ash Grove 16
    // (15 × 240 + a0's 240 + 120 = 3960 L), Oak Lane 3 (720 L); 34 homes, 8280 L, 68 people. Oak
    // Lane alone would be the remainder, so Elm Street (fewer homes than Ash Grove) is withheld too.
    const changed = (d: string) => `${d},water,L,,,,,changed_since_published`;
    expect(lines(second, 'daily-neighbourhood.csv')).toStrictEqual([
      ...NINE_DAYS.map(changed),
      '2026-03-10,water,L,34,8280,243.5,121.8,',
    ]);
    expect(lines(second, 'daily-street.csv').slice(-3)).toStrictEqual([
      '2026-03-10,Ash Grove,water,L,16,3960,247.5,123.8,',
      '2026-03-10,Elm Street,water,L,,,,,complementary',
      '2026-03-10,Oak Lane,water,L,,,,,too_few_households',
    ]);
    expect(
      lines(second, 'daily-street.csv')
        .slice(0, 27)
        .every((line) => line.endsWith(',,,,,changed_since_published')),
    ).toBe(true);
    expect(lines(second, 'data-quality.csv')).toStrictEqual([
      ...NINE_DAYS.map((d) => `${d},water,,,,changed_since_published`),
      '2026-03-10,water,34,34,1,',
    ]);
  });

  it('publishes nothing for a neighbourhood too small for the rules', async () => {
    const { db, store } = fixture;
    await insertNeighbourhood(db, { id: 'small', name: 'Small End' });
    await insertStreets(db, [{ id: 'lane', neighbourhoodId: 'small', name: 'The Lane' }]);
    for (let i = 0; i < 5; i++) {
      await insertHousehold(db, { id: `s${i}`, streetId: 'lane', alias: `s${i}`, occupants: 2, consent: 'research' });
      await insertMeters(db, [{ id: `s${i}-w`, householdId: `s${i}`, kind: 'water' }]);
      const placement = { meterId: `s${i}-w`, household: `s${i}`, street: 'lane', neighbourhood: 'small' };
      await writeSteadyWater(store, placement, '2026-03-01T00:00:00Z', '2026-03-12T00:00:00Z', 10);
    }
    const champion = await callerWithToken(db, 'small-champion', 'champion', { neighbourhoodId: 'small' });
    const response = await inject('POST', '/api/neighbourhoods/small/open-data/releases', champion, {
      ...decision,
      confirm: 'small',
    });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().reason).toBe('nothing_to_publish');
    expect((await inject('GET', `${PUBLIC}/small`, anonymous)).statusCode).toBe(404);
  });

  it('withdraws a release: its files gone, a tombstone with the reason', async () => {
    const admin = callers.admin as Caller;
    const reason = 'Asked for by the residents of Elm Street';
    const withdrawn = await inject('POST', `${RELEASES}/1/withdraw`, admin, { reason });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().withdrawn).toStrictEqual({ at: '2026-03-12T12:00:00.000Z', reason });
    for (const name of ['datapackage.json', ...RESOURCES]) {
      const gone = await inject('GET', `${PUBLIC}/n1/1/${name}`, anonymous);
      expect(gone.statusCode).toBe(410);
      expect(gone.json()).toMatchObject({ error: 'gone', reason: 'release_withdrawn' });
      expect(gone.json().message).toContain(reason);
    }
    const listing = (await inject('GET', `${PUBLIC}/n1`, anonymous)).json();
    expect(listing.releases.map((r: { id: string; withdrawn: object | null }) => [r.id, r.withdrawn])).toStrictEqual([
      ['2', null],
      ['1', { at: '2026-03-12T12:00:00.000Z', reason }],
    ]);
    // Again: nothing changes; an unknown release is a 404; release 2 is still served.
    const again = await inject('POST', `${RELEASES}/1/withdraw`, admin, { reason: 'another reason' });
    expect(again.json().withdrawn.reason).toBe(reason);
    expect((await inject('POST', `${RELEASES}/9/withdraw`, admin, { reason })).statusCode).toBe(404);
    expect((await releaseFiles('2')).size).toBe(4);
  });
});
