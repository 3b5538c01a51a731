/// <reference lib="dom" />
// The dashboard in a real browser (Debian's Chromium, playwright-core) against `ontap start`
// with its demo neighbourhood. Screenshots go to artifacts/screenshots/ (git-ignored).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AllInOne, launchChromium, startAllInOne } from './testing/all-in-one.ts';

const screenshots = join(import.meta.dirname, '..', 'artifacts', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The focused element's HTML, looking into shadow roots (a component's field, not the component). */
function deepActiveElementHtml(): string {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active?.outerHTML.slice(0, 80) ?? '';
}

describe('dashboard in Chromium', { timeout: 90_000 }, () => {
  let ontap: AllInOne;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [ontap, browser] = await Promise.all([startAllInOne(), launchChromium()]);
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await ontap?.stop();
  });

  const login = (role: string, index = 0) => ontap.logins.filter((l) => l.role === role)[index] as AllInOne['logins'][number];

  // Every page runs under the Content-Security-Policy: anything it blocks is a broken page.
  const cspViolations: string[] = [];
  afterEach(() => {
    expect(cspViolations.splice(0)).toStrictEqual([]);
  });

  /** A page in a fresh context that reports each Content-Security-Policy violation. */
  async function newPage(options: { viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await browser.newContext(options);
    await context.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`),
      ),
    );
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  async function signIn(role: string, index = 0): Promise<Page> {
    const page = await newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${ontap.url}/`);
    const who = login(role, index);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\.html/);
    return page;
  }

  /** axe-core in the page: no serious or critical WCAG violations. */
  async function expectAccessible(page: Page): Promise<void> {
    // Evaluated, not added as an inline <script>: the page's policy rightly refuses those.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (
        window as unknown as {
          axe: { run: (options: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        }
      ).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toStrictEqual([]);
  }

  it('prints the demo sign-ins, and the sign-in page is reachable and usable by keyboard alone, and follows no ?next= off the site', async () => {
    expect(ontap.logins.map((l) => l.role).sort()).toStrictEqual(['champion', 'household', 'household', 'household', 'utility']);
    const page = await newPage();
    // The link carries a hostile ?next= (an open redirect: "/\evil.example" is another site to a
    // browser): signing in must still land on this site. Were it to leave, evil.example answers here.
    await page.context().route(
      (url) => url.hostname === 'evil.example',
      (route) => route.fulfill({ contentType: 'text/html', body: '<p>evil</p>' }),
    );
    await page.goto(`${ontap.url}/?next=${encodeURIComponent('/\\evil.example')}`);
    await expectAccessible(page);
    // Tab through the page: every link, field and button is reached.
    const focusable = await page.locator('a[href], input, button, select').count();
    const reached = new Set<string>();
    for (let i = 0; i < focusable + 2; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(deepActiveElementHtml));
    }
    expect(reached.size).toBeGreaterThanOrEqual(focusable);
    // Sign in with the keyboard only.
    const who = login('household');
    await page.getByLabel('Email').focus();
    await page.keyboard.type(who.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(who.password);
    await page.keyboard.press('Enter');
    const origin = new URL(ontap.url).origin;
    await page.waitForURL((url) => url.origin !== origin || url.pathname !== '/');
    expect(new URL(page.url()).origin).toBe(origin);
    expect(new URL(page.url()).pathname).toBe('/household.html');
    await page.screenshot({ path: join(screenshots, 'sign-in.png'), fullPage: true });
  });

  it('words a refused sign-up for a resident, field by field, never in the API’s own terms', async () => {
    for (const width of [1280, 390]) {
      const page = await newPage({ viewport: { width, height: 900 } });
      await page.goto(`${ontap.url}/signup.html?code=abc`);
      await page.getByLabel('Email').fill('new@example.org');
      await page.getByLabel('Password').fill('short');
      await page.getByLabel('Name on leaderboards').fill('x'.repeat(41));
      await page.getByRole('button', { name: 'Join' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Please check the fields marked below.');
      // Each problem beside its field, tied to it for assistive technology.
      const password = page.getByLabel('Password');
      await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
      expect(describedBy).toMatch(/field-password-problem/);
      expect(await page.locator('#field-password-problem').textContent()).toBe('Use at least 12 characters.');
      expect(await page.locator('#field-code-problem').textContent()).toBe('Use at least 8 characters.');
      expect(await page.locator('#field-alias-problem').textContent()).toBe('Use 2 to 40 characters.');
      // No trace of the API's English (getByText looks into shadow roots).
      expect(await page.getByText(/body\.|Too big|Too small|expected string|too_small/).count()).toBe(0);
      await expectAccessible(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: join(screenshots, `sign-up-refused-${width}.png`), fullPage: true });
      // A right code's refusal is the rule's own words: an unknown code.
      await page.getByLabel('Invitation code').fill('unknown-code-1234');
      await page.getByLabel('Password').fill('kettle lantern orchard');
      await page.getByLabel('Name on leaderboards').fill('Kestrel');
      await page.getByRole('button', { name: 'Join' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe('That invitation code is unknown, already used or expired. Ask your champion for a new one.');
      await page.context().close();
    }
  });

  it('answers an unknown address with a page for people and JSON for programs', async () => {
    for (const width of [1280, 390]) {
      const page = await newPage({ viewport: { width, height: 900 } });
      const response = await page.goto(`${ontap.url}/no-such-page`);
      expect(response?.status()).toBe(404);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This page does not exist');
      await expectAccessible(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: join(screenshots, `not-found-${width}.png`), fullPage: true });
      await page.context().close();
    }
    const api = await fetch(`${ontap.url}/api/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not_found' });
    const program = await fetch(`${ontap.url}/no-such-page`);
    expect(await program.json()).toMatchObject({ error: 'not_found' });
  });

  /** The demo's Friends On Tap challenge, found through the API as the signed-in champion. */
  function friendsOnTapId(page: Page): Promise<string> {
    return page.evaluate(async () => {
      const who = (await (await fetch('/api/auth/me')).json()) as { neighbourhoodId: string };
      const list = (await (await fetch(`/api/neighbourhoods/${who.neighbourhoodId}/challenges`)).json()) as {
        id: string;
        name: string;
      }[];
      return list.find((c) => c.name === 'Friends On Tap')?.id as string;
    });
  }

  /** Tabs through a page: every visible link, field and button takes the focus once. */
  async function expectKeyboardReachesEverything(page: Page): Promise<void> {
    // A radio group is one tab stop (arrow keys move within it).
    const all = await page.evaluate(() => {
      const seenGroups = new Set<string>();
      return (
        [...document.querySelectorAll<HTMLElement>('a[href], input, button, select, summary')]
          .filter((element) => element.checkVisibility() && !element.hasAttribute('disabled'))
          .filter((element) => {
            if (element instanceof HTMLInputElement && element.type === 'radio') {
              if (seenGroups.has(element.name)) return false;
              seenGroups.add(element.name);
            }
            return true;
          })
          // Text only for links and buttons: a select's options may still be loading.
          .map(
            (element) =>
              `${element.tagName}#${element.id}|${['A', 'BUTTON', 'SUMMARY'].includes(element.tagName) ? (element.textContent?.trim().slice(0, 30) ?? '') : ''}`,
          )
      );
    });
    const controls = all.length;
    const reached = new Set<string>();
    for (let i = 0; i < controls * 2 + 5 && reached.size < controls; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return '';
        return `${element.tagName}#${element.id}|${['A', 'BUTTON', 'SUMMARY'].includes(element.tagName) ? (element.textContent?.trim().slice(0, 30) ?? '') : ''}`;
      });
      if (focused) reached.add(focused);
    }
    expect(all.filter((control) => !reached.has(control) && !control.startsWith('INPUT#|'))).toStrictEqual([]);
    expect(reached.size).toBeGreaterThanOrEqual(controls);
  }

  it('shows a household its use as a chart with a table, its challenges with rank, the leak warning, and connects a meter', async () => {
    const page = await signIn('household', 1); // the household with the leak
    await expect.poll(() => page.locator('#table tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#challenges h3').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.locator('#challenges').textContent()).toMatch(/Friends On Tap[\s\S]*Team [A-Z]/);
    await expect.poll(() => page.locator('#leak').isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('button', { name: 'This week' }).click();
    // Wait for the week itself: between 06:00 and 06:59 today's hourly table also has 7 rows.
    await expect.poll(() => page.locator('#total-label').textContent()).toBe('in the last 7 days');
    await expect.poll(() => page.locator('#table tbody tr').count()).toBe(7);
    await expect.poll(() => page.locator('#per-person').textContent()).toMatch(/litres per person per day/);
    await page.screenshot({ path: join(screenshots, 'household.png'), fullPage: true });
    await expectAccessible(page);
    await expectKeyboardReachesEverything(page);

    // Connecting a meter from the page: credentials shown once, and they work on the broker.
    await page.getByText('Connect a meter').click();
    await page.getByLabel('Meter name').fill('browser-test-meter');
    await page.getByLabel('What it measures').selectOption('electricity');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.locator('#meter-credentials').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#meter-list').textContent()).toMatch(/browser-test-meter \(electricity\)/);
    await page.locator('section[aria-labelledby=meters-title]').screenshot({ path: join(screenshots, 'household-meter.png') });
    const username = (await page.locator('#meter-username').textContent()) as string;
    const clientId = (await page.locator('#meter-client-id').textContent()) as string;
    const password = (await page.locator('#meter-password').textContent()) as string;
    const topic = (await page.locator('#meter-topic').textContent()) as string;
    expect([username, clientId, topic]).toStrictEqual([
      'meter-browser-test-meter',
      'meter-browser-test-meter',
      'ontap/v1/meters/browser-test-meter/readings',
    ]);
    const device = await mqtt.connectAsync(ontap.mqttUrl, {
      username,
      clientId,
      password,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await device.publishAsync(
      topic,
      JSON.stringify({ ts: Date.now() - 60_000, kind: 'electricity', register: 1.5, unit: 'kWh' }),
      {
        qos: 1,
      },
    );
    await device.endAsync();
    await expectAccessible(page);
    const meters = await page.locator('#meter-list li').count();
    await page.getByRole('button', { name: 'Connect', exact: true }).click(); // the name is required: nothing is sent
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await page.locator('#meter-list li').count()).toBe(meters);
  });

  it('lets a champion create a challenge, invite, and watch its leaderboard update live after readings arrive over MQTT', async () => {
    const page = await signIn('champion');
    await expectAccessible(page);
    await expectKeyboardReachesEverything(page);
    const startsOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Kind of challenge').selectOption('personal_best');
    await page.getByLabel('Name (optional)').fill('Browser test');
    await page.getByLabel('Starts on').fill(startsOn);
    await page.getByRole('button', { name: 'Create challenge' }).click();
    await expect.poll(() => page.locator('#detail').isVisible(), { timeout: 10_000 }).toBe(true);
    for (const box of await page.locator('#street-boxes input').all()) await box.check();
    await page.getByRole('button', { name: 'Invite these streets' }).click();
    await expect.poll(() => page.locator('#invited').textContent()).toMatch(/36 more homes invited/);

    // Two demo households join through the API, as their own pages would.
    const challengeId = await page.locator('#challenge').inputValue();
    const joiners = [login('household', 0), login('household', 2)];
    for (const who of joiners) {
      const context = await browser.newContext();
      const signedIn = await context.request.post(`${ontap.url}/api/auth/login`, {
        data: { email: who.email, password: who.password },
      });
      const { csrfToken } = await signedIn.json();
      expect(
        (
          await context.request.post(`${ontap.url}/api/challenges/${challengeId}/membership`, {
            headers: { 'x-csrf-token': csrfToken },
          })
        ).status(),
      ).toBe(201);
      await context.close();
    }
    await page.reload();
    await page.locator('#challenge').selectOption(challengeId);
    await expect.poll(() => page.locator('#board tbody tr').count(), { timeout: 20_000 }).toBe(2);
    const before = await page.locator('#board tbody').textContent();

    // The third household registers a new meter and its backlog arrives over MQTT: a tap left
    // running all week. Its use in the challenge jumps, and the board changes without a reload.
    const third = await browser.newContext();
    const signedIn = await third.request.post(`${ontap.url}/api/auth/login`, {
      data: { email: joiners[1]?.email, password: joiners[1]?.password },
    });
    const { csrfToken, householdId } = await signedIn.json();
    const meter = await third.request.post(`${ontap.url}/api/households/${householdId}/meters`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { meterId: 'browser-test-tap', kind: 'water' },
    });
    const { mqtt: credentials } = await meter.json();
    const client = await mqtt.connectAsync(ontap.mqttUrl, {
      username: credentials.username,
      clientId: credentials.clientId,
      password: credentials.password,
      protocolVersion: 4,
    });
    const start = Date.parse(`${startsOn}T00:00:00Z`) - 86_400_000;
    const readings = Array.from({ length: 8 * 24 + 1 }, (_, h) => ({
      ts: start + h * 3_600_000,
      kind: 'water',
      register: h * 60,
      unit: 'L',
    }));
    for (let i = 0; i < readings.length; i += 500)
      await client.publishAsync(credentials.topic, JSON.stringify(readings.slice(i, i + 500)), { qos: 1 });
    await client.endAsync();
    await third.close();
    await expect.poll(() => page.locator('#board tbody').textContent(), { timeout: 45_000, interval: 500 }).not.toBe(before);
    await page.screenshot({ path: join(screenshots, 'champion.png'), fullPage: true });
  });

  it('renders the poster for print on A4', async () => {
    const page = await signIn('champion');
    const challengeId = await friendsOnTapId(page);
    await page.goto(`${ontap.url}/poster.html?challenge=${challengeId}`);
    await expect.poll(() => page.locator('#top li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.print').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', path: join(screenshots, 'poster.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.screenshot({ path: join(screenshots, 'poster.png'), fullPage: true });
  });

  it('shows a utility partner withheld cells, with the reason', async () => {
    const page = await signIn('utility');
    await expect.poll(() => page.locator('#table tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.locator('td.withheld').first().textContent()).toMatch(/withheld: fewer than 15 households/);
    await page.screenshot({ path: join(screenshots, 'utility.png'), fullPage: true });
    await expectAccessible(page);
    await expectKeyboardReachesEverything(page);
  });

  it('shows the public leaderboard without signing in', async () => {
    const champion = await signIn('champion');
    const challengeId = await friendsOnTapId(champion);
    const board = (await (await fetch(`${ontap.url}/api/public/challenges/${challengeId}/leaderboard`)).json()) as {
      entries: { rank: number | null; name: string; mentor?: string | null }[];
    };
    expect(board.entries.some((entry) => entry.mentor)).toBe(true);
    for (const width of [1280, 390]) {
      const page = await newPage({ viewport: { width, height: 900 } });
      const response = await page.goto(`${ontap.url}/board.html?challenge=${challengeId}`);
      expect(response?.headers()['x-frame-options']).toBeUndefined();
      expect(response?.headers()['content-security-policy']).toMatch(/frame-ancestors \*/);
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: 20_000 }).toBe(board.entries.length);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Friends On Tap');
      // The rule: a public board shows rank and saving for complete days only — no live "today"
      // figure, and no litres saved (beside a saving and its days they give away a baseline).
      expect(await page.locator('thead th').allTextContents()).toStrictEqual(['Rank', 'Team', 'Saving', 'Mentor']);
      // Cells, not headers: each row's team under "Team", its mentor under "Mentor", as the API says.
      const rows = await page
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')));
      expect(rows.map((cells) => [cells[1], cells[3]])).toStrictEqual(
        board.entries.map((entry) => [entry.name, entry.mentor ?? '']),
      );
      for (const cells of rows) expect(cells[2]).toMatch(/^\d+(\.\d)?% (less|more)$|^not |^too few/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: join(screenshots, `public-board-${width}.png`), fullPage: true });
      await expectAccessible(page);
      await page.context().close();
    }
    // A wrong link is said in words.
    const page = await newPage();
    await page.goto(`${ontap.url}/board.html?challenge=no-such-challenge`);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch('This leaderboard is not public, or the link is not right.');
  });

  it('renders the API documentation at /docs under its own policy', async () => {
    const page = await newPage();
    const response = await page.goto(`${ontap.url}/docs`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await expect.poll(() => page.locator('.swagger-ui .info .title').textContent(), { timeout: 20_000 }).toMatch(/OnTap API/);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 20_000 }).toBeGreaterThan(10);
  });
});
