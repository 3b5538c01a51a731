// The authorization matrix: every route × every kind of caller, expected allow/deny from one
// table written here by hand. A route missing from the table fails the test, so a new route
// cannot ship without a rule. "Allowed" means the request got past authorization (any answer
// but 401/403 from the access check); "denied" means it did not. An address no route answers is a
// 404 for every caller and method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChallenge } from '../storage/metadata/repositories/challenges.ts';
import { buildApp } from './app.ts';
import { bearer, type Caller, callerWithToken, seedNeighbourhoods, springChallenge, testApp } from './testing/fixtures.ts';

type CallerName =
  | 'anonymous'
  | 'household'
  | 'neighbour'
  | 'farHousehold'
  | 'champion'
  | 'farChampion'
  | 'utility'
  | 'farUtility'
  | 'admin';

const everyone: CallerName[] = [
  'anonymous',
  'household',
  'neighbour',
  'farHousehold',
  'champion',
  'farChampion',
  'utility',
  'farUtility',
  'admin',
];
const signedIn = everyone.filter((c) => c !== 'anonymous');
const ownHousehold: CallerName[] = ['household', 'admin'];
const organisers: CallerName[] = ['champion', 'admin'];
const inNeighbourhood: CallerName[] = ['household', 'neighbour', 'champion', 'utility', 'admin'];
// Boards name households: a utility partner sees aggregates only.
const boardReaders: CallerName[] = ['household', 'neighbour', 'champion', 'admin'];

// Paths use household h1 (of `household`), neighbourhood n1 and challenge c1 (in n1).
const expected: Record<string, CallerName[]> = {
  'GET /healthz': everyone,
  'GET /readyz': everyone,
  'GET /metrics': everyone,
  'POST /api/auth/login': everyone,
  'POST /api/auth/signup': everyone,
  'POST /api/auth/logout': signedIn,
  'GET /api/auth/me': signedIn,
  'POST /api/auth/tokens': ['utility', 'farUtility', 'admin'],
  'GET /api/auth/tokens': ['utility', 'farUtility', 'admin'],
  'DELETE /api/auth/tokens/:tokenId': ['utility', 'farUtility', 'admin'],
  'GET /api/households/:householdId': ownHousehold,
  'PUT /api/households/:householdId/consent': ownHousehold,
  'GET /api/households/:householdId/usage': ownHousehold,
  'GET /api/households/:householdId/today': ownHousehold,
  'GET /api/households/:householdId/stream': ownHousehold,
  'GET /api/households/:householdId/leak': ownHousehold,
  'GET /api/households/:householdId/leaks': ownHousehold,
  'PUT /api/households/:householdId/leaks/:start/mark': ownHousehold,
  'POST /api/households/:householdId/meters': ownHousehold,
  'GET /api/households/:householdId/export': ownHousehold,
  'DELETE /api/households/:householdId': ownHousehold,
  'GET /api/households/:householdId/invitations': ownHousehold,
  'GET /api/households/:householdId/reports/:month': ownHousehold,
  'GET /api/households/:householdId/reports/:month.pdf': ownHousehold,
  'GET /api/neighbourhoods': ['admin'],
  'POST /api/neighbourhoods': ['admin'],
  'POST /api/neighbourhoods/:neighbourhoodId/streets': organisers,
  'GET /api/neighbourhoods/:neighbourhoodId/streets': organisers,
  'POST /api/neighbourhoods/:neighbourhoodId/invitations': organisers,
  'POST /api/neighbourhoods/:neighbourhoodId/invitation-pack': organisers,
  'GET /api/neighbourhoods/:neighbourhoodId/challenges': inNeighbourhood,
  'POST /api/neighbourhoods/:neighbourhoodId/challenges': organisers,
  'GET /api/neighbourhoods/:neighbourhoodId/leaks': organisers,
  'GET /api/neighbourhoods/:neighbourhoodId/households': organisers,
  'GET /api/neighbourhoods/:neighbourhoodId/aggregates': ['utility', 'admin'],
  'GET /api/challenges/:challengeId': inNeighbourhood,
  'GET /api/challenges/:challengeId/leaderboard': boardReaders,
  'GET /api/challenges/:challengeId/stream': boardReaders,
  'POST /api/challenges/:challengeId/invitations': organisers,
  'GET /api/challenges/:challengeId/teams': organisers,
  'POST /api/challenges/:challengeId/teams': organisers,
  'PUT /api/challenges/:challengeId/teams/:teamId': organisers,
  'DELETE /api/challenges/:challengeId/teams/:teamId': organisers,
  // Households may ask; only the team's mentor is answered (teams.test.ts).
  'GET /api/challenges/:challengeId/teams/:teamId/mentoring': boardReaders,
  'POST /api/challenges/:challengeId/membership': ['household', 'neighbour'],
  'DELETE /api/challenges/:challengeId/membership': ['household', 'neighbour'],
  'PUT /api/challenges/:challengeId/membership/pledges': ['household', 'neighbour'],
  'GET /api/admin/dead-letters': ['admin'],
  'GET /api/public/challenges/:challengeId/leaderboard': everyone,
  // Publishing is the households' side's decision (its champion, or an operator), never a utility partner's.
  'POST /api/neighbourhoods/:neighbourhoodId/open-data/releases': organisers,
  'POST /api/neighbourhoods/:neighbourhoodId/open-data/releases/:releaseId/withdraw': ['admin'],
  'GET /api/public/open-data/:neighbourhoodId': everyone,
  'GET /api/public/open-data/:neighbourhoodId/:releaseId/:file': everyone,
  // The dashboard's static files: public, they hold no data.
  'GET /*': everyone,
  'GET /api/households/:householdId/challenges': ownHousehold,
  'PUT /api/challenges/:challengeId/visibility': organisers,
  'GET /api/challenges/:challengeId/members': organisers,
  // Last: an allowed caller's empty body changes c1 (ended, so only archiving it succeeds).
  'PATCH /api/challenges/:challengeId': organisers,
  'POST /api/challenges/:challengeId/end': organisers,
  'POST /api/challenges/:challengeId/cancel': organisers,
  'POST /api/challenges/:challengeId/archive': organisers,
  'PATCH /api/neighbourhoods/:neighbourhoodId': ['admin'],
  'PATCH /api/neighbourhoods/:neighbourhoodId/streets/:streetId': organisers,
  // Very last: an admin archives n1 (its challenge is over), after which n1 takes nothing new.
  'POST /api/neighbourhoods/:neighbourhoodId/archive': ['admin'],
};

describe('authorization matrix', () => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  const callers = {} as Record<CallerName, Caller>;

  beforeAll(async () => {
    // Rate limits would answer 429 before the access check on a table this long; auth.test.ts checks them.
    fixture = await testApp('pglite', { rateLimits: false });
    const { db } = fixture;
    await seedNeighbourhoods(db);
    await insertChallenge(db, springChallenge);
    callers.anonymous = { name: 'anonymous', token: null, accountId: null };
    callers.household = await callerWithToken(db, 'household', 'household', { householdId: 'h1' });
    callers.neighbour = await callerWithToken(db, 'neighbour', 'household', { householdId: 'h2' });
    callers.farHousehold = await callerWithToken(db, 'far-household', 'household', { householdId: 'h9' });
    callers.champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    callers.farChampion = await callerWithToken(db, 'far-champion', 'champion', { neighbourhoodId: 'n2' });
    callers.utility = await callerWithToken(db, 'utility', 'utility', { neighbourhoodId: 'n1' });
    callers.farUtility = await callerWithToken(db, 'far-utility', 'utility', { neighbourhoodId: 'n2' });
    callers.admin = await callerWithToken(db, 'admin', 'admin');
  });
  afterAll(async () => fixture?.close());

  it('has a rule in this table for every route, and a route for every rule', () => {
    const registered = fixture.app.routeAccess.map((route) => `${route.method} ${route.url}`).sort();
    expect(registered).toStrictEqual(Object.keys(expected).sort());
    for (const route of fixture.app.routeAccess)
      expect(route.access, `${route.method} ${route.url} declares config.access`).toBeDefined();
  });

  const cases = Object.entries(expected).flatMap(([route, allowed]) =>
    everyone.map((caller) => ({ route, caller, allow: allowed.includes(caller) })),
  );

  it.each(cases)('$route as $caller: allowed $allow', async ({ route, caller, allow }) => {
    const [method, template] = route.split(' ') as [string, string];
    const url = template.replace(':householdId', 'h1').replace(':neighbourhoodId', 'n1').replace(':challengeId', 'c1');
    const query = url.endsWith('/stream') ? '?once=true' : '';
    // Bodies are deliberately empty: an allowed caller then stops at validation (400) and
    // changes nothing, so one table can cover erasure and sign-out alike.
    const response = await fixture.app.inject({
      method: method as 'GET',
      url: `${url}${query}`,
      headers: bearer(callers[caller]),
      ...(method === 'GET' ? {} : { payload: {} }),
    });
    const denied =
      response.statusCode === 401 ||
      (response.statusCode === 403 && ['unauthorized', 'forbidden'].includes(response.json().error));
    expect(denied, `${response.statusCode} ${response.body.slice(0, 200)}`).toBe(!allow);
  });
});

describe('an address no route answers', () => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let callers: Caller[];
  beforeAll(async () => {
    fixture = await testApp('pglite', { rateLimits: false });
    await seedNeighbourhoods(fixture.db);
    callers = [
      { name: 'anonymous', token: null, accountId: null },
      await callerWithToken(fixture.db, 'household', 'household', { householdId: 'h1' }),
      await callerWithToken(fixture.db, 'admin', 'admin'),
      { name: 'revoked', token: 'ontap_not-a-token', accountId: null },
    ];
  });
  afterAll(async () => fixture?.close());

  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
  const urls = ['/api/nothing', '/api/neighbourhoods/n1/nothing', '/api/households/h1/meters/h1-w', '/api/challenges', '/api'];

  it.each([true, false])(
    'is a 404 not_found for every method and caller, with the dashboard served: %s',
    async (withDashboard) => {
      const app = withDashboard ? fixture.app : await buildApp({ db: fixture.db, store: fixture.store, dashboard: false });
      try {
        for (const method of methods)
          for (const url of urls)
            for (const caller of callers) {
              // Served, the dashboard's files answer every GET (public, but a token given is checked: 401 when revoked).
              if (withDashboard && method === 'GET' && caller.name === 'revoked') continue;
              const response = await app.inject({
                method,
                url,
                headers: { ...bearer(caller), accept: 'application/json' },
                ...(['GET', 'OPTIONS'].includes(method) ? {} : { payload: {} }),
              });
              expect(response.statusCode, `${method} ${url} as ${caller.name}: ${response.body}`).toBe(404);
              expect(response.json()).toMatchObject({ error: 'not_found' });
            }
      } finally {
        if (!withDashboard) await app.close();
      }
    },
  );
});
