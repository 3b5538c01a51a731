// Attacks on sign-in, sign-up and API tokens, each test mounting one: forged proxy headers,
// email probing by timing, password guessing, weak passwords, invitation burning and racing,
// look-alike aliases, tokens that never die, cookies sent over plain http, injected script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerManifest } from '../../../demo/seed.ts';
import { householdProfile } from '../../../storage/metadata/repositories/households.ts';
import { insertInvitation } from '../../../storage/metadata/repositories/invitations.ts';
import {
  accountEmailsStartingWith,
  aliasOfAccountHousehold,
  householdIdsWithAlias,
  signInFailuresOf,
} from '../../../storage/metadata/testing/inspect.ts';
import { backdateSignInFailures, expireApiToken } from '../../../storage/metadata/testing/time-travel.ts';
import { sha256 } from '../../plugins/auth.ts';
import { bearer, callerWithToken, databaseKinds, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';
import { SIGN_IN_LOCKOUT } from './index.ts';

type Fixture = Awaited<ReturnType<typeof testApp>>;
type Response = {
  statusCode: number;
  json: () => { message: string; error: string; csrfToken: string; fields?: { in: string; field: string; code: string }[] };
};

let codes = 0;
/** A fresh invitation code straight into the database: a household's for a street (n1: elm, oak; n2: far), or a role's. */
async function invitation(fixture: Fixture, to: { street: string } | { role: 'utility' | 'champion'; neighbourhood: string }) {
  const code = `test-code-${++codes}-${Math.random().toString(36).slice(2)}`;
  const expiresAt = new Date(Date.now() + 86_400_000);
  await insertInvitation(
    fixture.db,
    'street' in to
      ? {
          codeHash: sha256(code),
          neighbourhoodId: to.street === 'far' ? 'n2' : 'n1',
          role: 'household',
          streetId: to.street,
          expiresAt,
        }
      : { codeHash: sha256(code), neighbourhoodId: to.neighbourhood, role: to.role, expiresAt },
  );
  return code;
}

const signUp = (fixture: Fixture, payload: Record<string, unknown>) =>
  fixture.app.inject({ method: 'POST', url: '/api/auth/signup', payload }) as Promise<
    Response & { cookies: { name: string; secure?: boolean }[] }
  >;
const signIn = (fixture: Fixture, email: string, password: string, headers: Record<string, string> = {}) =>
  fixture.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers });

const cookieOf = (response: { cookies: { name: string; value: string }[] }) =>
  `ontap_session=${response.cookies.find((c) => c.name === 'ontap_session')?.value}`;

describe('forged X-Forwarded-For and X-Forwarded-Proto', () => {
  let direct: Fixture;
  let proxied: Fixture;
  beforeAll(async () => {
    direct = await testApp('pglite');
    proxied = await testApp('pglite', { settings: { trustProxy: ['127.0.0.1'] } });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('cannot dodge the sign-in rate limit by sending a new X-Forwarded-For each time', async () => {
    const statuses = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await signIn(direct, `probe${i}@example.org`, 'wrong password', { 'x-forwarded-for': `203.0.113.${i}` })).statusCode,
      );
    expect(statuses).toContain(429);
  });

  it('believes X-Forwarded-For only from a proxy named in ONTAP_TRUST_PROXY', async () => {
    // Behind the trusted proxy (inject comes from 127.0.0.1), clients are told apart by the header.
    for (let i = 0; i < 10; i++)
      expect(
        (await signIn(proxied, `a${i}@example.org`, 'wrong password', { 'x-forwarded-for': '198.51.100.1' })).statusCode,
      ).toBe(401);
    expect((await signIn(proxied, 'a@example.org', 'wrong password', { 'x-forwarded-for': '198.51.100.1' })).statusCode).toBe(
      429,
    );
    expect((await signIn(proxied, 'b@example.org', 'wrong password', { 'x-forwarded-for': '198.51.100.2' })).statusCode).toBe(
      401,
    );
  });

  it('sets Secure on the session cookie for https, and believes a proxy saying so only when trusted', async () => {
    for (const fixture of [direct, proxied]) await seedNeighbourhoods(fixture.db);
    const plain = await signUp(direct, {
      code: await invitation(direct, { role: 'champion', neighbourhood: 'n1' }),
      email: 'plain@example.org',
      password: 'kettle lantern orchard',
    });
    expect(plain.statusCode).toBe(201);
    expect(plain.cookies[0]?.secure).toBeFalsy();
    const forged = await direct.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: { 'x-forwarded-proto': 'https' },
      payload: {
        code: await invitation(direct, { role: 'champion', neighbourhood: 'n1' }),
        email: 'forged@example.org',
        password: 'kettle lantern orchard',
      },
    });
    expect(forged.cookies[0]?.secure).toBeFalsy();
    const viaProxy = await proxied.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.9' },
      payload: {
        code: await invitation(proxied, { role: 'champion', neighbourhood: 'n1' }),
        email: 'tls@example.org',
        password: 'kettle lantern orchard',
      },
    });
    expect(viaProxy.statusCode).toBe(201);
    expect(viaProxy.cookies[0]).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
  });
});

describe('a Content-Security-Policy on every page', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await testApp('pglite');
  });
  afterAll(async () => fixture?.close());

  const policyOf = async (url: string) => {
    const response = await fixture.app.inject({ method: 'GET', url });
    expect(response.statusCode, url).toBe(200);
    return Object.fromEntries(
      String(response.headers['content-security-policy'] ?? '')
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...values]) => [name, values]),
    ) as Record<string, string[]>;
  };

  it('lets no injected inline script, event handler or style run on the dashboard, nor other origins load', async () => {
    for (const page of ['/', '/household.html', '/champion.html', '/utility.html', '/signup.html', '/healthz']) {
      const policy = await policyOf(page);
      expect(policy['default-src']).toStrictEqual(["'self'"]);
      expect(policy['script-src']).toStrictEqual(["'self'"]);
      expect(policy['script-src-attr']).toStrictEqual(["'none'"]);
      expect(policy['style-src']).toStrictEqual(["'self'"]);
      expect(policy['object-src']).toStrictEqual(["'none'"]);
      expect(policy['frame-ancestors']).toStrictEqual(["'none'"]);
    }
  });

  it('lets other sites embed only the public board, and keeps /docs under the pages’ own strict policy', async () => {
    expect((await policyOf('/board.html'))['frame-ancestors']).toStrictEqual(['*']);
    expect((await policyOf('/board.html'))['script-src']).toStrictEqual(["'self'"]);
    const docs = await policyOf('/docs');
    expect(docs['script-src']).toStrictEqual(["'self'"]);
    expect(docs['style-src']).toStrictEqual(["'self'"]);
    expect(docs['frame-ancestors']).toStrictEqual(["'none'"]);
  });
});

describe('probing which emails have accounts, by timing', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await testApp('pglite', { rateLimits: false });
    await seedNeighbourhoods(fixture.db);
    const response = await signUp(fixture, {
      code: await invitation(fixture, { role: 'champion', neighbourhood: 'n1' }),
      email: 'known@example.org',
      password: 'kettle lantern orchard',
    });
    expect(response.statusCode).toBe(201);
  });
  afterAll(async () => fixture?.close());

  it('spends the same scrypt on an unknown email as on a wrong password', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      expect((await signIn(fixture, email, 'not the password')).statusCode).toBe(401);
      return performance.now() - started;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time('known@example.org'));
      unknown.push(await time(`nobody${i}@example.org`));
    }
    // Without the dummy hash an unknown email answers in a database look-up, tens of times faster.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    expect(median(known)).toBeGreaterThan(median(unknown) * 0.5);
  });
});

describe.each(databaseKinds)('sign-in and sign-up attacks on %s', (kind) => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await testApp(kind, { rateLimits: false });
    await seedNeighbourhoods(fixture.db);
  });
  afterAll(async () => fixture?.close());

  it.each([
    ['11 characters', 'a1b2c3d4e5f', /at least 12 characters/],
    ['a common password padded with digits', 'password123456', /most common passwords/],
    ['a common password in l33t', 'P@ssw0rd2024!', /most common passwords/],
    ['a common password said twice', 'iloveyouiloveyou', /most common passwords/],
    ['a run of keys', 'qwertyuiopasdf', /most common passwords|run of keys/],
    ['counting', '123456789012', /run of keys/],
    ['one character', 'zzzzzzzzzzzzzzzz', /different characters/],
    ['the email address', 'weak@example.org', /email address/],
    ["the email's name with a year", 'Weakling2026', /email address/],
  ])('refuses a new password that is %s, and keeps the invitation', async (_name, password, reason) => {
    const code = await invitation(fixture, { role: 'champion', neighbourhood: 'n1' });
    const email = password === 'Weakling2026' ? 'weakling@example.org' : 'weak@example.org';
    const refused = await signUp(fixture, { code, email, password });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/body\.password/);
    expect(refused.json().message).toMatch(reason);
    expect(
      (await signUp(fixture, { code, email: `ok-${++codes}@example.org`, password: 'kettle lantern orchard' })).statusCode,
    ).toBe(201);
  });

  it('does not burn an invitation on a sign-up that fails (email taken, household without alias, alias taken)', async () => {
    const code = await invitation(fixture, { street: 'elm' });
    const first = await signUp(fixture, {
      code,
      email: 'taken@example.org',
      password: 'kettle lantern orchard',
      alias: 'Plover',
    });
    expect(first.statusCode).toBe(201);
    const again = await invitation(fixture, { street: 'elm' });
    expect(
      (await signUp(fixture, { code: again, email: 'Taken@example.org', password: 'kettle lantern orchard', alias: 'Tern' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await signUp(fixture, { code: again, email: 'fresh@example.org', password: 'kettle lantern orchard' })).statusCode,
    ).toBe(400);
    expect(
      (await signUp(fixture, { code: again, email: 'fresh@example.org', password: 'kettle lantern orchard', alias: 'Swift' }))
        .statusCode,
    ).toBe(409);
    // Nothing of the failed attempts was kept: no household, no account.
    expect(await householdIdsWithAlias(fixture.db, 'Tern')).toStrictEqual([]);
    const joined = await signUp(fixture, {
      code: again,
      email: 'fresh@example.org',
      password: 'kettle lantern orchard',
      alias: 'Tern',
    });
    expect(joined.statusCode, JSON.stringify(joined.json())).toBe(201);
    expect(
      (await signUp(fixture, { code: again, email: 'third@example.org', password: 'kettle lantern orchard', alias: 'Wren' }))
        .statusCode,
    ).toBe(400);
  });

  it('lets only one of two simultaneous sign-ups with one invitation code succeed', async () => {
    const code = await invitation(fixture, { street: 'oak' });
    const results = await Promise.all(
      ['racer1', 'racer2', 'racer3'].map((name) =>
        signUp(fixture, { code, email: `${name}@example.org`, password: 'kettle lantern orchard', alias: name }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toStrictEqual([201, 400, 400]);
    expect(await accountEmailsStartingWith(fixture.db, 'racer')).toHaveLength(1);
  });

  it.each([
    ['a zero-width space', 'Swift\u200b', 400, /visible characters/, 'alias_hidden_characters'],
    ['a zero-width joiner', 'Sw\u200dift', 400, /visible characters/, 'alias_hidden_characters'],
    ['a right-to-left override', '\u202eSwift', 400, /visible characters/, 'alias_hidden_characters'],
    ['a bidi isolate', '\u2067Swift\u2069', 400, /visible characters/, 'alias_hidden_characters'],
    ['a control character', 'Swift\u0007', 400, /visible characters/, 'alias_hidden_characters'],
    ['a newline', 'Swift\nRoad', 400, /visible characters/, 'alias_hidden_characters'],
    ['a Hangul filler', 'Swift\u3164', 400, /visible characters/, 'alias_hidden_characters'],
    ['a Cyrillic look-alike letter', 'Sw\u0456ft', 400, /one alphabet/, 'alias_mixed_alphabets'],
    ['only symbols', '!!', 400, /letter or digit/, 'alias_no_letter'],
    ['the same alias as a neighbour', 'Swift', 409, /already called/, 'alias_taken'],
    ['a neighbour’s alias in other case', 'sWIFT', 409, /already called/, 'alias_taken'],
    ['a neighbour’s alias in full-width letters', '\uff33\uff57\uff49\uff46\uff54', 409, /already called/, 'alias_taken'],
    ['a neighbour’s alias with extra spaces', '  Swift  ', 409, /already called/, 'alias_taken'],
  ])('refuses an alias with %s', async (_name, alias, status, reason, rule) => {
    const code = await invitation(fixture, { street: 'oak' });
    const response = await signUp(fixture, {
      code,
      email: `alias${++codes}@example.org`,
      password: 'kettle lantern orchard',
      alias,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json().message).toMatch(/body\.alias/);
    expect(response.json().message).toMatch(reason);
    // The rule by name, on the field, for a client to say in its own words.
    expect(response.json().fields).toContainEqual({ in: 'body', field: 'alias', code: rule });
  });

  it('keeps aliases NFKC-normalised, and lets another neighbourhood use the same one', async () => {
    const stored = await signUp(fixture, {
      code: await invitation(fixture, { street: 'oak' }),
      email: 'fullwidth@example.org',
      password: 'kettle lantern orchard',
      alias: '\uff2b\uff45\uff53\uff54\uff52\uff45\uff4c  Nest',
    });
    expect(stored.statusCode).toBe(201);
    expect(await aliasOfAccountHousehold(fixture.db, 'fullwidth@example.org')).toStrictEqual(['Kestrel Nest']);
    const elsewhere = await signUp(fixture, {
      code: await invitation(fixture, { street: 'far' }),
      email: 'far-swift@example.org',
      password: 'kettle lantern orchard',
      alias: 'Swift',
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('lets only one of two simultaneous sign-ups take one alias', async () => {
    const results = await Promise.all(
      ['a', 'b'].map(async (who) =>
        signUp(fixture, {
          code: await invitation(fixture, { street: who === 'a' ? 'elm' : 'oak' }),
          email: `same-alias-${who}@example.org`,
          password: 'kettle lantern orchard',
          alias: who === 'a' ? 'Dipper' : 'DIPPER',
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toStrictEqual([201, 409]);
  });

  it(`locks an account's password sign-in after ${SIGN_IN_LOCKOUT.failures} failures, in the database, without telling whether the email exists`, async () => {
    const email = 'guessed@example.org';
    const password = 'kettle lantern orchard';
    expect(
      (await signUp(fixture, { code: await invitation(fixture, { role: 'champion', neighbourhood: 'n1' }), email, password }))
        .statusCode,
    ).toBe(201);
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i++) {
      expect((await signIn(fixture, email, `guess number ${i}`)).statusCode).toBe(401);
      expect((await signIn(fixture, 'ghost@example.org', `guess number ${i}`)).statusCode).toBe(401);
    }
    // Now even the right password is refused, and an email with no account answers alike.
    const locked = await signIn(fixture, email, password);
    const ghost = await signIn(fixture, 'ghost@example.org', password);
    expect(locked.statusCode).toBe(429);
    expect(ghost.statusCode).toBe(429);
    expect(ghost.json()).toStrictEqual(locked.json());
    expect(locked.json().message).toMatch(/try again in 15 minutes/);
    expect(locked.headers['retry-after']).toBe('900');

    // Another API process on the same database (or this one after a restart) sees the lock.
    const { buildApp } = await import('../../app.ts');
    const other = await buildApp({ db: fixture.db, store: fixture.store, rateLimits: false, dashboard: false });
    expect((await other.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).statusCode).toBe(429);
    await other.close();

    // Fifteen minutes on, the right password works and the count starts again.
    await backdateSignInFailures(fixture.db, { minutes: 16, unlock: true });
    expect((await signIn(fixture, email, password)).statusCode).toBe(200);
    expect(await signInFailuresOf(fixture.db, email)).toStrictEqual([]);
  });

  it('lets no more than the allowed guesses through when they come all at once', async () => {
    // The lock was checked before scrypt and the failure counted after it, so a
    // burst of parallel guesses all passed the check.
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(fixture, 'burst@example.org', `parallel guess ${i}`)),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(SIGN_IN_LOCKOUT.failures);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - SIGN_IN_LOCKOUT.failures);
  });

  it('counts failures only within the window: slow guessing is not locked out', async () => {
    const email = 'slow@example.org';
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures - 1; i++) await signIn(fixture, email, `guess number ${i}`);
    await backdateSignInFailures(fixture.db, { minutes: 16, email });
    for (let i = 0; i < 3; i++) expect((await signIn(fixture, email, `late guess ${i}`)).statusCode).toBe(401);
    expect((await signInFailuresOf(fixture.db, email))[0]?.failures).toBe(3);
  });
});

describe.each(databaseKinds)('API tokens on %s', (kind) => {
  let fixture: Fixture;
  let session: Record<string, string>;
  beforeAll(async () => {
    fixture = await testApp(kind, { rateLimits: false });
    await seedNeighbourhoods(fixture.db);
    const utility = await signUp(fixture, {
      code: await invitation(fixture, { role: 'utility', neighbourhood: 'n1' }),
      email: 'integrations@utility.example',
      password: 'kettle lantern orchard',
    });
    session = { cookie: cookieOf(utility as never), 'x-csrf-token': utility.json().csrfToken };
  });
  afterAll(async () => fixture?.close());

  const create = (payload: Record<string, unknown>, headers = session) =>
    fixture.app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload });
  const me = (token: string) =>
    fixture.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

  it('gives a token an expiry (90 days unless chosen, at most a year) and refuses it once expired', async () => {
    const made = await create({ name: 'nightly export' });
    expect(made.statusCode).toBe(201);
    const { token, id, expiresAt } = made.json();
    expect(Math.round((Date.parse(expiresAt) - Date.now()) / 86_400_000)).toBe(90);
    expect((await me(token)).statusCode).toBe(200);
    expect((await create({ name: 'forever', validDays: 366 })).statusCode).toBe(400);
    expect(
      Math.round((Date.parse((await create({ name: 'a week', validDays: 7 })).json().expiresAt) - Date.now()) / 86_400_000),
    ).toBe(7);

    await expireApiToken(fixture.db, id);
    const expired = await me(token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toMatch(/expired on \d{4}-\d\d-\d\d/);
  });

  it('lists tokens without their secrets, and revokes one so it is refused at once', async () => {
    const { token, id } = (await create({ name: 'dashboard sync' })).json();
    const list = await fixture.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: session });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token);
    expect(list.body).not.toMatch(/ontap_/);
    expect(list.json()).toContainEqual(expect.objectContaining({ id, name: 'dashboard sync', expired: false, lastUsedAt: null }));

    expect((await me(token)).statusCode).toBe(200);
    const revoked = await fixture.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: session });
    expect(revoked.statusCode).toBe(204);
    const refused = await me(token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/unknown or revoked/);
    expect((await fixture.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: session })).json()).not.toContainEqual(
      expect.objectContaining({ id }),
    );
  });

  it("does not let a token mint new tokens (to outlive its expiry), nor anyone revoke another account's token", async () => {
    const { token, id } = (await create({ name: 'leaked one' })).json();
    const minted = await create({ name: 'successor' }, { authorization: `Bearer ${token}` });
    expect(minted.statusCode).toBe(403);
    const other = await callerWithToken(fixture.db, 'other-utility', 'utility', { neighbourhoodId: 'n1' });
    const revoke = await fixture.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: bearer(other) });
    expect(revoke.statusCode).toBe(404);
    expect((await me(token)).statusCode).toBe(200);
    // A token may revoke itself (an integration retiring its own credential).
    expect(
      (
        await fixture.app.inject({
          method: 'DELETE',
          url: `/api/auth/tokens/${id}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(204);
  });
});

describe('seeded aliases', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await testApp('pglite');
  });
  afterAll(async () => fixture?.close());

  const manifest = (aliases: string[]) =>
    ({
      timeZone: 'Europe/London',
      households: aliases.map((alias, i) => ({ id: `s${i}`, street: 'Seed Street', alias, occupants: 2 })),
      meters: [],
    }) as unknown as Parameters<typeof registerManifest>[1];

  it('pass the sign-up rule: a duplicate or an invisible character stops the seeding', async () => {
    await expect(registerManifest(fixture.db, manifest(['Wagtail', 'WAGTAIL']), { id: 'seed1', name: 'Seed' })).rejects.toThrow(
      /share the alias/,
    );
    await expect(registerManifest(fixture.db, manifest(['Wag\u200btail']), { id: 'seed2', name: 'Seed' })).rejects.toThrow(
      /visible characters/,
    );
    await registerManifest(fixture.db, manifest(['\uff37agtail']), { id: 'seed3', name: 'Seed' });
    expect((await householdProfile(fixture.db, 's0'))?.alias).toBe('Wagtail');
  });
});
