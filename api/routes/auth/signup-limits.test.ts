// Sign-up limits a community evening does not hit: thirty households signing up one after the
// other behind the community centre's one connection. What is limited hard is wrong invitation
// codes from one address; sign-in keeps its limits (per address, and the per-email lockout).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, householdInvitationCode, seedNeighbourhoods, testApp } from '../../testing/fixtures.ts';
import { SIGN_IN_LOCKOUT, SIGN_UP_LIMIT, SIGN_UP_WRONG_CODES } from './index.ts';

const MINUTE = 60_000;

describe.each(databaseKinds)('sign-up and sign-in limits on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof testApp>>;
  let clock = Date.now();

  beforeAll(async () => {
    fixture = await testApp(kind, { now: () => clock });
    await seedNeighbourhoods(fixture.db);
  });
  afterAll(async () => fixture?.close());

  const householdCode = () => householdInvitationCode(fixture.db, { neighbourhoodId: 'n1', streetId: 'elm' });
  let homes = 0;
  const signUp = (remoteAddress: string, code: string) => {
    homes++;
    return fixture.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      remoteAddress,
      payload: { code, email: `home${homes}@example.org`, password: 'kettle lantern orchard', alias: `Wren ${homes}` },
    });
  };
  const signIn = (remoteAddress: string, email: string) =>
    fixture.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      payload: { email, password: 'not the password' },
    });

  it('signs thirty households up in a row from one address', async () => {
    for (let i = 0; i < 30; i++) {
      const response = await signUp('198.51.100.7', await householdCode());
      expect(response.statusCode, `sign-up ${i + 1}: ${response.body}`).toBe(201);
    }
  });

  it(`refuses the ${SIGN_UP_WRONG_CODES.max + 1}st wrong code within 10 minutes, and every code then, from that address only`, async () => {
    for (let i = 0; i < SIGN_UP_WRONG_CODES.max; i++) {
      const wrong = await signUp('198.51.100.7', `wrong-code-${i}-guessing`);
      expect(wrong.statusCode, `wrong code ${i + 1}`).toBe(400);
      expect(wrong.json()).toMatchObject({ reason: 'invitation_invalid' });
      clock += 10_000;
    }
    const refused = await signUp('198.51.100.7', 'wrong-code-once-more');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: 'too_many_requests', reason: 'too_many_wrong_codes' });
    // The first wrong code was 200 s ago: it leaves the window in 400 s, 7 minutes rounded up.
    expect(refused.headers['retry-after']).toBe('420');
    const good = await householdCode();
    expect((await signUp('198.51.100.7', good)).statusCode).toBe(429);
    // Another address signs up as ever.
    expect((await signUp('198.51.100.8', await householdCode())).statusCode).toBe(201);
    // Once the first wrong code is 10 minutes old, one more try; the next wrong one stops it again.
    clock += 10 * MINUTE - 200_000;
    expect((await signUp('198.51.100.7', good)).statusCode).toBe(201);
    expect((await signUp('198.51.100.7', 'still-guessing-codes')).statusCode).toBe(400);
    expect((await signUp('198.51.100.7', 'and-guessing-again')).statusCode).toBe(429);
  });

  it(`counts an IPv6 network's addresses together (a /64), as the rate limits do`, async () => {
    for (let i = 0; i < SIGN_UP_WRONG_CODES.max; i++)
      expect((await signUp(`2001:db8:1:2::${(i + 1).toString(16)}`, `v6-guess-${i}-wrong`)).statusCode).toBe(400);
    expect((await signUp('2001:db8:1:2:ffff::1', 'v6-guess-last')).statusCode).toBe(429);
    expect((await signUp('2001:db8:1:3::1', await householdCode())).statusCode).toBe(201);
  });

  it(`still stops an address after ${SIGN_UP_LIMIT.max} sign-up requests in 10 minutes, whatever they hold`, async () => {
    for (let i = 0; i < SIGN_UP_LIMIT.max; i++) {
      const response = await fixture.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        remoteAddress: '203.0.113.50',
        payload: { code: 'short' },
      });
      expect(response.statusCode, `request ${i + 1}`).toBe(400);
    }
    const limited = await signUp('203.0.113.50', await householdCode());
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'too_many_requests' });
  });

  it('limits sign-in as before: 10 a minute per address, and the per-email lockout across addresses', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn('192.0.2.10', 'target@example.org')).statusCode).toBe(401);
    expect((await signIn('192.0.2.10', 'someone-else@example.org')).statusCode).toBe(429);
    expect(SIGN_IN_LOCKOUT.failures).toBe(10);
    const locked = await signIn('192.0.2.11', 'target@example.org');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ reason: 'locked_out' });
    expect(locked.headers['retry-after']).toBe(String(SIGN_IN_LOCKOUT.lockMinutes * 60));
    expect((await signIn('192.0.2.11', 'someone-else@example.org')).statusCode).toBe(401);
  });
});
