// A fresh install set up through the API (no demo, no seed): an admin creates a neighbourhood and
// its streets and invites a champion, who adds streets and invites a household, which signs up.
// Then what an operator may get wrong or try on purpose: names, ids and time zones, repeats,
// another neighbourhood's streets, unknown neighbourhoods, two operators at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertNeighbourhood, insertStreets } from '../../../storage/metadata/repositories/neighbourhoods.ts';
import { bearer, type Caller, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';

type Fixture = Awaited<ReturnType<typeof testApp>>;
type Body = Record<string, unknown>;

describe.each(databaseKinds)('setting neighbourhoods and streets up on %s', (kind) => {
  let fixture: Fixture;
  let admin: Caller;

  beforeAll(async () => {
    fixture = await testApp(kind, { rateLimits: false });
    admin = await callerWithToken(fixture.db, 'admin', 'admin');
  });
  afterAll(async () => fixture?.close());

  const call = (method: 'GET' | 'POST', url: string, caller: Caller | { cookie: string; csrf: string }, payload?: unknown) =>
    fixture.app.inject({
      method,
      url,
      headers: 'cookie' in caller ? { cookie: caller.cookie, 'x-csrf-token': caller.csrf } : bearer(caller),
      ...(payload === undefined ? {} : { payload: payload as Body }),
    });
  const session = (response: { cookies: { name: string; value: string }[]; json: () => Body }) => ({
    cookie: `ontap_session=${response.cookies.find((c) => c.name === 'ontap_session')?.value}`,
    csrf: response.json().csrfToken as string,
  });

  it('takes a fresh install from nothing to a champion and a household signed up', async () => {
    expect((await call('GET', '/api/neighbourhoods', admin)).json()).toStrictEqual([]);
    const created = await call('POST', '/api/neighbourhoods', admin, {
      name: '  Riverside   Gardens ',
      timeZone: 'Europe/London',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toStrictEqual({ id: 'riverside-gardens', name: 'Riverside Gardens', timeZone: 'Europe/London' });

    const streets = await call('POST', '/api/neighbourhoods/riverside-gardens/streets', admin, {
      names: ['Elm Street', 'Oak Road'],
    });
    expect(streets.statusCode, streets.body).toBe(201);
    expect(streets.json()).toStrictEqual({
      created: [
        { id: 'riverside-gardens-elm-street', name: 'Elm Street' },
        { id: 'riverside-gardens-oak-road', name: 'Oak Road' },
      ],
      existing: [],
    });

    const championCode = await call('POST', '/api/neighbourhoods/riverside-gardens/invitations', admin, { role: 'champion' });
    expect(championCode.statusCode, championCode.body).toBe(201);
    const championSignUp = await fixture.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code: championCode.json().code, email: 'champion@example.org', password: 'kettle lantern orchard' },
    });
    expect(championSignUp.statusCode, championSignUp.body).toBe(201);
    const champion = session(championSignUp);

    // The champion adds a street on a session (with its CSRF token) and invites a household to it.
    const more = await call('POST', '/api/neighbourhoods/riverside-gardens/streets', champion, { names: ['Birch Close'] });
    expect(more.statusCode, more.body).toBe(201);
    const birch = more.json().created[0].id as string;
    const householdCode = await call('POST', '/api/neighbourhoods/riverside-gardens/invitations', champion, {
      role: 'household',
      streetId: birch,
    });
    expect(householdCode.statusCode, householdCode.body).toBe(201);
    const household = await fixture.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code: householdCode.json().code, email: 'home@example.org', password: 'kettle lantern orchard', alias: 'Wren' },
    });
    expect(household.statusCode, household.body).toBe(201);

    expect((await call('GET', '/api/neighbourhoods', admin)).json()).toStrictEqual([
      {
        id: 'riverside-gardens',
        name: 'Riverside Gardens',
        timeZone: 'Europe/London',
        streets: 3,
        households: 1,
        archived: false,
      },
    ]);
    const listed = (await call('GET', '/api/neighbourhoods/riverside-gardens/streets', champion)).json();
    expect(listed.map((street: { name: string; households: number }) => [street.name, street.households])).toStrictEqual([
      ['Birch Close', 1],
      ['Elm Street', 0],
      ['Oak Road', 0],
    ]);
  });

  it('lists neighbourhoods by name with their counts, for admins only', async () => {
    await seedNeighbourhoods(fixture.db);
    const listed = (await call('GET', '/api/neighbourhoods', admin)).json() as Body[];
    expect(listed.map((n) => [n.name, n.id, n.streets, n.households])).toStrictEqual([
      ['Hilltop', 'n2', 1, 1],
      ['Riverside', 'n1', 2, 3],
      ['Riverside Gardens', 'riverside-gardens', 3, 1],
    ]);
    for (const [role, scope] of [
      ['champion', { neighbourhoodId: 'n1' }],
      ['utility', { neighbourhoodId: 'n1' }],
      ['household', { householdId: 'h1' }],
    ] as const) {
      const caller = await callerWithToken(fixture.db, `lister-${role}`, role, scope);
      for (const [method, payload] of [
        ['GET', undefined],
        ['POST', { name: 'Mine', timeZone: 'Europe/London' }],
      ] as const) {
        const refused = await call(method, '/api/neighbourhoods', caller, payload);
        expect(refused.statusCode, `${method} as ${role}`).toBe(403);
        expect(refused.json()).toMatchObject({ reason: 'wrong_role' });
      }
    }
    expect((await fixture.app.inject({ method: 'GET', url: '/api/neighbourhoods' })).statusCode).toBe(401);
  });

  it('makes ids from names, numbered when taken, and takes a chosen id only when free', async () => {
    const create = (body: Body) => call('POST', '/api/neighbourhoods', admin, body);
    const again = await create({ name: 'Riverside Gardens', timeZone: 'Europe/London' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe('riverside-gardens-2');
    expect((await create({ name: 'Ōkubo Straße', timeZone: 'Asia/Tokyo' })).json()).toStrictEqual({
      id: 'okubo-strasse',
      name: 'Ōkubo Straße',
      timeZone: 'Asia/Tokyo',
    });
    // Nothing Latin to make an id of.
    expect((await create({ name: 'Ύδρα', timeZone: 'Europe/Athens' })).json().id).toBe('neighbourhood');
    expect((await create({ name: 'Ύδρα', timeZone: 'Europe/Athens' })).json().id).toBe('neighbourhood-2');
    const long = await create({ name: 'A Very Long Neighbourhood Name That Goes On And On', timeZone: 'Europe/London' });
    expect(long.json().id).toBe('a-very-long-neighbourhood-name-that-goes');
    const longAgain = await create({ name: 'A Very Long Neighbourhood Name That Goes On And On', timeZone: 'Europe/London' });
    expect(longAgain.json().id).toBe('a-very-long-neighbourhood-name-that-go-2');

    const chosen = await create({ id: 'hill-end', name: 'Hill End', timeZone: 'europe/london' });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json()).toStrictEqual({ id: 'hill-end', name: 'Hill End', timeZone: 'Europe/London' });
    for (const id of ['hill-end', 'n1']) {
      const taken = await create({ id, name: 'Somewhere Else', timeZone: 'Europe/London' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ error: 'conflict', reason: 'neighbourhood_taken', fields: [{ field: 'id' }] });
    }
    expect((await call('GET', '/api/neighbourhoods', admin)).json().filter((n: Body) => n.name === 'Somewhere Else')).toEqual([]);
  });

  it('refuses time zones Intl does not know as IANA zones', async () => {
    for (const timeZone of ['Mars/Olympus_Mons', '+01:00', 'GMT+1:00', 'Europe/London\n', "Europe/London' OR '1'='1", ' ']) {
      const refused = await call('POST', '/api/neighbourhoods', admin, { name: 'Zoned', timeZone });
      expect(refused.statusCode, JSON.stringify(timeZone)).toBe(400);
      expect(refused.json()).toMatchObject({
        reason: 'time_zone_unknown',
        fields: [{ in: 'body', field: 'timeZone', code: 'time_zone_unknown' }],
      });
    }
    const tooLong = await call('POST', '/api/neighbourhoods', admin, { name: 'Zoned', timeZone: 'Europe/'.repeat(1000) });
    expect(tooLong.json()).toMatchObject({ reason: 'invalid_fields', fields: [{ field: 'timeZone', code: 'too_big' }] });
  });

  it('refuses names and ids that are too long, too short, invisible or not ids', async () => {
    const refusals: [Body, string, string][] = [
      [{ name: 'x'.repeat(81) }, 'name', 'too_big'],
      [{ name: 'x'.repeat(100_000) }, 'name', 'too_big'],
      [{ name: ' x ' }, 'name', 'too_small'],
      [{ name: '     ' }, 'name', 'too_small'],
      [{ name: 'Elm\u0000Park' }, 'name', 'name_hidden_characters'],
      [{ name: 'Elm\u202eParK' }, 'name', 'name_hidden_characters'],
      [{ name: 'Elm\u200bPark' }, 'name', 'name_hidden_characters'],
      [{ name: 'Elm\tPark' }, 'name', 'name_hidden_characters'],
      [{ name: 42 }, 'name', 'invalid_type'],
      [{ name: 'Fine', id: 'Upper' }, 'id', 'invalid_format'],
      [{ name: 'Fine', id: 'under_score' }, 'id', 'invalid_format'],
      [{ name: 'Fine', id: '-leading' }, 'id', 'invalid_format'],
      [{ name: 'Fine', id: 'x' }, 'id', 'invalid_format'],
      [{ name: 'Fine', id: 'x'.repeat(41) }, 'id', 'invalid_format'],
      [{ name: 'Fine', id: '../n1' }, 'id', 'invalid_format'],
    ];
    for (const [body, field, code] of refusals) {
      const refused = await call('POST', '/api/neighbourhoods', admin, { timeZone: 'Europe/London', ...body });
      expect(refused.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(refused.json().fields, JSON.stringify(body).slice(0, 80)).toContainEqual(expect.objectContaining({ field, code }));
    }
    expect((await call('GET', '/api/neighbourhoods', admin)).json().filter((n: Body) => n.name === 'Fine')).toEqual([]);
  });

  it('adds streets once each: names already there (any case, after NFKC) or repeated are listed as existing', async () => {
    const added = await call('POST', '/api/neighbourhoods/n1/streets', admin, {
      names: [
        'elm street',
        'ＥＬＭ　ＳＴＲＥＥＴ',
        ' Cedar   Way ',
        'CEDAR WAY',
        'Straße am Fluss',
        'STRASSE AM FLUSS',
        'Elm Streets',
      ],
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toStrictEqual({
      created: [
        { id: 'n1-cedar-way', name: 'Cedar Way' },
        { id: 'n1-strasse-am-fluss', name: 'Straße am Fluss' },
        { id: 'n1-elm-streets', name: 'Elm Streets' },
      ],
      existing: ['elm street', 'ELM STREET', 'CEDAR WAY', 'STRASSE AM FLUSS'],
    });
    const again = await call('POST', '/api/neighbourhoods/n1/streets', admin, { names: ['cedar way'] });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toStrictEqual({ created: [], existing: ['cedar way'] });
    // Another neighbourhood may have a street of the same name.
    const far = await call('POST', '/api/neighbourhoods/n2/streets', admin, { names: ['Cedar Way'] });
    expect(far.json()).toStrictEqual({ created: [{ id: 'n2-cedar-way', name: 'Cedar Way' }], existing: [] });
  });

  it('numbers a street id another neighbourhood holds, and names without Latin letters', async () => {
    // Neighbourhood "ab" with street "Cd Ef" and neighbourhood "ab-cd" with street "Ef" both make "ab-cd-ef".
    await insertNeighbourhood(fixture.db, { id: 'ab', name: 'Ab' });
    await insertNeighbourhood(fixture.db, { id: 'ab-cd', name: 'Ab Cd' });
    await insertStreets(fixture.db, [{ id: 'ab-cd-ef', neighbourhoodId: 'ab', name: 'Cd Ef' }]);
    const added = await call('POST', '/api/neighbourhoods/ab-cd/streets', admin, { names: ['Ef', 'Οδός Ερμού', 'Οδός Αθηνάς'] });
    expect(added.json()).toStrictEqual({
      created: [
        { id: 'ab-cd-ef-2', name: 'Ef' },
        { id: 'ab-cd-street', name: 'Οδός Ερμού' },
        { id: 'ab-cd-street-2', name: 'Οδός Αθηνάς' },
      ],
      existing: [],
    });
  });

  it('adds a street once when two operators add it at the same moment', async () => {
    await insertNeighbourhood(fixture.db, { id: 'race', name: 'Race' });
    const answers = await Promise.all(
      ['Lane One', 'lane one', 'LANE ONE', 'Lane One'].map((name) =>
        call('POST', '/api/neighbourhoods/race/streets', admin, { names: [name, 'Lane Two'] }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toStrictEqual([201, 201, 201, 201]);
    const created = answers.flatMap((answer) => answer.json().created.map((street: { name: string }) => street.name));
    expect(created.map((name) => name.toLowerCase()).sort()).toStrictEqual(['lane one', 'lane two']);
    const neighbourhoods = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/api/neighbourhoods', admin, { name: 'Twin Peaks', timeZone: 'America/Los_Angeles' })),
    );
    expect(neighbourhoods.map((answer) => answer.json().id).sort()).toStrictEqual(['twin-peaks', 'twin-peaks-2', 'twin-peaks-3']);
  });

  it('refuses street lists that are empty, too long, or hold a bad name, adding none of them', async () => {
    const refusals: [unknown, string, string][] = [
      [[], 'names', 'too_small'],
      [Array.from({ length: 201 }, (_, i) => `Street ${i}`), 'names', 'too_big'],
      [['Good Street', 'x'.repeat(81)], 'names.1', 'too_big'],
      [['Good Street', 'y'], 'names.1', 'too_small'],
      [['Good Street', 'Bad\u0007Street'], 'names.1', 'name_hidden_characters'],
      [['Good Street', 'Bad\u2066Street'], 'names.1', 'name_hidden_characters'],
      [['Good Street', null], 'names.1', 'invalid_type'],
      ['Good Street', 'names', 'invalid_type'],
    ];
    for (const [names, field, code] of refusals) {
      const refused = await call('POST', '/api/neighbourhoods/n1/streets', admin, { names });
      expect(refused.statusCode, JSON.stringify(names).slice(0, 80)).toBe(400);
      expect(refused.json().fields).toContainEqual(expect.objectContaining({ field, code }));
    }
    const streets = (await call('GET', '/api/neighbourhoods/n1/streets', admin)).json();
    expect(streets.map((street: { name: string }) => street.name)).not.toContain('Good Street');
    // 200 at once is the limit, and allowed.
    const many = await call('POST', '/api/neighbourhoods/n1/streets', admin, {
      names: Array.from({ length: 200 }, (_, i) => `Avenue ${i}`),
    });
    expect(many.statusCode).toBe(201);
    expect(many.json().created).toHaveLength(200);
  });

  it('lets a champion add streets to its own neighbourhood only, and nobody else', async () => {
    const champion = await callerWithToken(fixture.db, 'champion-n1', 'champion', { neighbourhoodId: 'n1' });
    const own = await call('POST', '/api/neighbourhoods/n1/streets', champion, { names: ['Hazel Row'] });
    expect(own.statusCode).toBe(201);
    const far = await call('POST', '/api/neighbourhoods/n2/streets', champion, { names: ['Hazel Row'] });
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ reason: 'not_your_neighbourhood' });
    // An unknown neighbourhood is not a champion's either: it learns nothing of which exist.
    expect((await call('POST', '/api/neighbourhoods/nowhere/streets', champion, { names: ['Hazel Row'] })).json()).toMatchObject({
      reason: 'not_your_neighbourhood',
    });
    for (const [role, scope] of [
      ['utility', { neighbourhoodId: 'n1' }],
      ['household', { householdId: 'h1' }],
    ] as const) {
      const caller = await callerWithToken(fixture.db, `streets-${role}`, role, scope);
      const refused = await call('POST', '/api/neighbourhoods/n1/streets', caller, { names: ['Hazel Row 2'] });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ reason: 'wrong_role' });
    }
  });

  it('answers 404 for a neighbourhood that does not exist: streets, and invitations of every role', async () => {
    const streets = await call('POST', '/api/neighbourhoods/nowhere/streets', admin, { names: ['Elm Street'] });
    expect(streets.statusCode).toBe(404);
    expect(streets.json()).toMatchObject({ error: 'not_found', reason: 'neighbourhood_unknown' });
    for (const body of [{ role: 'champion' }, { role: 'utility' }, { role: 'household', streetId: 'elm' }]) {
      const invited = await call('POST', '/api/neighbourhoods/nowhere/invitations', admin, body);
      expect(invited.statusCode, invited.body).toBe(404);
      expect(invited.json()).toMatchObject({ error: 'not_found', reason: 'neighbourhood_unknown' });
    }
  });
});
