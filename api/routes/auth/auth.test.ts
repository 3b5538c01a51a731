// Sign-up by invitation through to a household session, CSRF, bearer tokens, rate limits and
// bad input, on PGlite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInvitation } from '../../../storage/metadata/repositories/invitations.ts';
import { apiTokenHash } from '../../../storage/metadata/testing/inspect.ts';
import { bootstrapAdmin } from '../../bootstrap.ts';
import { databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';

describe.each(databaseKinds)('accounts on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    fixture = await testApp(kind);
    await seedNeighbourhoods(fixture.db);
  });
  afterAll(async () => fixture?.close());

  const cookieOf = (response: { cookies: { name: string; value: string }[] }) => {
    const cookie = response.cookies.find((c) => c.name === 'ontap_session');
    return cookie ? `ontap_session=${cookie.value}` : '';
  };

  it('runs the first admin, a champion and a household through invitation codes, with no default password', async () => {
    const { app, db } = fixture;
    const setup = await bootstrapAdmin(db);
    expect(setup.admin).toBe('setup');
    const code = setup.admin === 'setup' ? setup.code : '';
    expect(await bootstrapAdmin(db)).toMatchObject({ admin: 'setup' }); // still no admin: another code, the first still valid

    const admin = await app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code, email: 'Admin@Example.org', password: 'correct horse battery' },
    });
    expect(admin.statusCode).toBe(201);
    expect(admin.json()).toMatchObject({ role: 'admin', householdId: null });
    const adminCookie = cookieOf(admin);
    const adminCsrf = admin.json().csrfToken as string;
    expect(admin.cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await bootstrapAdmin(db)).toStrictEqual({ admin: 'exists' });
    const reused = await app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code, email: 'x@example.org', password: 'another long password' },
    });
    expect(reused.statusCode).toBe(400);

    // State-changing requests on a session need the CSRF token.
    const withoutCsrf = await app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/invitations',
      headers: { cookie: adminCookie },
      payload: { role: 'champion' },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().message).toMatch(/x-csrf-token/);
    const championCode = await app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/invitations',
      headers: { cookie: adminCookie, 'x-csrf-token': adminCsrf },
      payload: { role: 'champion' },
    });
    expect(championCode.statusCode).toBe(201);

    const champion = await app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code: championCode.json().code, email: 'champ@example.org', password: 'champion password' },
    });
    expect(champion.json()).toMatchObject({ role: 'champion', neighbourhoodId: 'n1' });
    const championHeaders = { cookie: cookieOf(champion), 'x-csrf-token': champion.json().csrfToken };
    // A champion may not invite another champion, and invites households to a street of theirs.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/neighbourhoods/n1/invitations',
          headers: championHeaders,
          payload: { role: 'champion' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/neighbourhoods/n1/invitations',
          headers: championHeaders,
          payload: { role: 'household', streetId: 'far' },
        })
      ).statusCode,
    ).toBe(400);
    const householdCode = await app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/invitations',
      headers: championHeaders,
      payload: { role: 'household', streetId: 'oak' },
    });
    expect(householdCode.statusCode).toBe(201);

    const household = await app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        code: householdCode.json().code,
        email: 'kim@example.org',
        password: 'household password',
        alias: 'Kingfisher',
        occupants: 3,
      },
    });
    expect(household.statusCode).toBe(201);
    const householdId = household.json().householdId as string;
    const mine = await app.inject({
      method: 'GET',
      url: `/api/households/${householdId}`,
      headers: { cookie: cookieOf(household) },
    });
    expect(mine.json()).toMatchObject({
      alias: 'Kingfisher',
      occupants: 3,
      consent: 'challenge',
      street: 'Oak Road',
      neighbourhoodId: 'n1',
    });

    // Sign in again, sign out; the old session stops working.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'KIM@example.org', password: 'household password' },
    });
    expect(login.statusCode).toBe(200);
    const session = { cookie: cookieOf(login), 'x-csrf-token': login.json().csrfToken };
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: session })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'kim@example.org', password: 'wrong password!' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('gives utility partners bearer tokens, kept only as hashes', async () => {
    const { app, db } = fixture;
    await insertInvitation(db, {
      codeHash: (await import('../../plugins/auth.ts')).sha256('utility-code-123'),
      neighbourhoodId: 'n1',
      role: 'utility',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const utility = await app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { code: 'utility-code-123', email: 'water@utility.example', password: 'utility password' },
    });
    const created = await app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: { cookie: cookieOf(utility), 'x-csrf-token': utility.json().csrfToken },
      payload: { name: 'nightly export' },
    });
    const token = created.json().token as string;
    expect(token).toMatch(/^ontap_/);
    expect(await apiTokenHash(db, created.json().id)).not.toContain(token);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ role: 'utility', neighbourhoodId: 'n1' });
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer ontap_nonsense' } })).statusCode,
    ).toBe(401);
  });

  it('answers bad input with a 400 that says what is wrong, and limits sign-in attempts', async () => {
    const { app } = fixture;
    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'not-an-email', password: 'short' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('bad_request');
    expect(bad.json().message).toMatch(/body\.email/);
    expect(bad.json().message).toMatch(/body\.password/);
    // Each field at fault, with zod's issue code and the limit, for clients to word themselves.
    expect(bad.json()).toMatchObject({ reason: 'invalid_fields' });
    expect(bad.json().fields).toEqual(
      expect.arrayContaining([
        { in: 'body', field: 'email', code: 'invalid_format' },
        { in: 'body', field: 'password', code: 'too_small', limit: 10 },
      ]),
    );
    expect(bad.body).not.toMatch(/at .*\.ts:\d+/);
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      status = (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'nobody@example.org', password: 'wrong password' },
        })
      ).statusCode;
    }
    expect(status).toBe(429);
  });
});
