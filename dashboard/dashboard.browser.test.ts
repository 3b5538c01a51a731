/// <reference lib="dom" />
// The dashboard in a real browser (Debian's Chromium, playwright-core) against `ontap start`
// with its demo neighbourhood. Screenshots go to artifacts/screenshots/ (git-ignored).
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AllInOne, launchChromium, startAllInOne } from './testing/all-in-one.ts';
import { type PageTools, pageTools, screenshots } from './testing/pages.ts';

/** The focused element's HTML, looking into shadow roots (a component's field, not the component). */
function deepActiveElementHtml(): string {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active?.outerHTML.slice(0, 80) ?? '';
}

describe('dashboard in Chromium', { timeout: 90_000 }, () => {
  let ontap: AllInOne;
  let browser: Browser;
  let tools: PageTools;

  beforeAll(async () => {
    [ontap, browser] = await Promise.all([startAllInOne(), launchChromium()]);
    tools = pageTools(browser, ontap);
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await ontap?.stop();
  });

  const login = (role: string, index = 0) => ontap.logins.filter((l) => l.role === role)[index] as AllInOne['logins'][number];

  // Every page runs under the Content-Security-Policy: anything it blocks is a broken page.
  afterEach(() => {
    expect(tools.takeCspViolations()).toStrictEqual([]);
  });

  // Pages in fresh contexts that report policy violations; each account signs in through the page
  // once (10 a minute from one address), later pages reuse its session (testing/pages.ts).
  const newPage = (options: Parameters<Browser['newContext']>[0] = {}) => tools.newPage(options);
  const signIn = (role: string, index = 0, width = 390) => tools.signIn(role, index, width);
  /** axe-core in the page: no WCAG 2.2 A or AA violation, of any impact. */
  const expectAccessible = (page: Page) => tools.expectAccessible(page);

  it('prints the demo sign-ins, and the sign-in page is reachable and usable by keyboard alone, and follows no ?next= off the site', async () => {
    expect(ontap.logins.map((l) => l.role).sort()).toStrictEqual([
      'admin',
      'champion',
      'household',
      'household',
      'household',
      'utility',
    ]);
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
    for (const width of [1280, 390]) {
      const fresh = await newPage({ viewport: { width, height: 900 } });
      await fresh.goto(`${ontap.url}/`);
      await expect.poll(() => fresh.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
      await lookAt(fresh, 'sign-in');
      await fresh.context().close();
    }
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

  /** Each page at both widths: fits (no sideways scrolling), passes axe, and is photographed. */
  const lookAt = (page: Page, name: string) => tools.lookAt(page, name);

  /** A page signed in as `role` at a width, opened at `path`. */
  async function openAs(role: string, index: number, width: number, path?: string): Promise<Page> {
    const page = await signIn(role, index, width);
    if (path) await page.goto(`${ontap.url}${path}`);
    return page;
  }

  /** The API's answer to a GET, with the page's own sign-in. */
  function apiGet<T>(page: Page, path: string): Promise<T> {
    return page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<T>;
  }

  /** A table's rows as {header: cell text}, read from the cells (looking into shadow roots). */
  function tableRows(page: Page, host: string): Promise<Record<string, string>[]> {
    return page
      .locator(`${host} table`)
      .first()
      .evaluate((table) => {
        const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
        return [...table.querySelectorAll('tbody tr')].map((tr) =>
          Object.fromEntries(
            [...tr.children].map((cell, index) => [headers[index] ?? String(index), cell.textContent?.trim() ?? '']),
          ),
        );
      });
  }

  /** Tabs through a page: every visible link, field and button (in any shadow root) takes the focus. */
  async function expectKeyboardReachesEverything(page: Page): Promise<void> {
    const controls = await page.evaluate(() => {
      const found: HTMLElement[] = [];
      const radioGroups = new Set<string>();
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll<HTMLElement>('*')) {
          if (element.shadowRoot) walk(element.shadowRoot);
          const focusable =
            element.matches('a[href], input, button, select, summary, [tabindex="0"]') &&
            element.checkVisibility() &&
            !element.hasAttribute('disabled');
          if (!focusable) continue;
          // A radio group is one tab stop (arrow keys move within it).
          if (element instanceof HTMLInputElement && element.type === 'radio') {
            if (radioGroups.has(element.name)) continue;
            radioGroups.add(element.name);
          }
          found.push(element);
        }
      };
      walk(document);
      for (const [index, element] of found.entries()) element.setAttribute('data-walk', String(index));
      return found.map((element) => `${element.tagName} ${element.textContent?.trim().slice(0, 30) ?? ''}`);
    });
    const reached = new Set<number>();
    for (let i = 0; i < controls.length * 2 + 5 && reached.size < controls.length; i++) {
      await page.keyboard.press('Tab');
      const index = await page.evaluate(() => {
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        // A radio group's other buttons stand for the one that was counted.
        if (active instanceof HTMLInputElement && active.type === 'radio' && !active.hasAttribute('data-walk'))
          active = (active.getRootNode() as ParentNode).querySelector(`input[name="${active.name}"][data-walk]`);
        return Number(active?.getAttribute('data-walk') ?? -1);
      });
      if (index >= 0) reached.add(index);
    }
    expect(controls.filter((_, index) => !reached.has(index))).toStrictEqual([]);
  }

  /** What the page's polite live region (in the app shell) says now. */
  const announced = (page: Page) => page.locator('.announcer').textContent();

  type HouseholdApi = { id: string; occupants: number; meters: { id: string; lastReadingAt: string | null }[] };
  type UsageApi = {
    baselinePerDay: number | null;
    targetPerDay: number | null;
    litresPerPersonPerDay: number | null;
    points: { date: string; use: number }[];
  };

  it('shows a household its day, week, month and year against its usual and 110 L a person, with figures the API gave, at both widths', async () => {
    for (const width of [1280, 390]) {
      const page = await openAs('household', 1, width); // the household with the leak
      await expect.poll(() => page.getByRole('heading', { name: 'Possible leak' }).count(), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => page.locator('.figure').first().textContent(), { timeout: 20_000 }).toMatch(/^[\d,.]+ L$/);
      await expect.poll(() => page.getByText(/than a usual day by this time/).count(), { timeout: 20_000 }).toBe(1);
      // The week before this one: seven complete days, each bar's figure in the table as the API says.
      await page.getByRole('button', { name: '‹ Earlier' }).click();
      await expect.poll(() => page.locator('ontap-chart tbody tr').count(), { timeout: 20_000 }).toBe(7);
      const who = await apiGet<{ householdId: string }>(page, '/api/auth/me');
      const household = await apiGet<HouseholdApi>(page, `/api/households/${who.householdId}`);
      const monday = await page.locator('ontap-chart tbody tr th').first().textContent();
      expect(monday).toMatch(/^Mon/);
      const rows = await tableRows(page, 'ontap-chart');
      const from = await page.evaluate(() => {
        const now = new Date();
        const today = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
        const weekday = (today.getUTCDay() + 6) % 7;
        today.setUTCDate(today.getUTCDate() - weekday - 7);
        return today.toISOString().slice(0, 10);
      });
      const to = new Date(Date.parse(from) + 6 * 86_400_000).toISOString().slice(0, 10);
      const usage = await apiGet<UsageApi>(
        page,
        `/api/households/${who.householdId}/usage?kind=water&granularity=day&from=${from}&to=${to}`,
      );
      const litres = (text: string | undefined) => Number((text ?? '').replace(/[^\d.]/g, ''));
      expect(rows.map((row) => litres(row['Water use']))).toStrictEqual(
        usage.points.map((point) => Number(point.use.toFixed(point.use < 10 ? 1 : 0))),
      );
      expect(usage.baselinePerDay).not.toBeNull();
      for (const row of rows) {
        expect(litres(row['Your usual'])).toBe(Math.round(usage.baselinePerDay as number));
        expect(litres(row['110 L a person'])).toBe(110 * household.occupants);
      }
      expect(await page.getByText(/litres per person per day over the complete days/).textContent()).toContain(
        `${Math.round(usage.litresPerPersonPerDay as number)} litres per person per day`,
      );
      // Its challenges: its own standing, and its team's rank as the API gives it.
      const challenges = await apiGet<{ name: string; rank: number | null; of: number }[]>(
        page,
        `/api/households/${who.householdId}/challenges`,
      );
      const friends = challenges.find((challenge) => challenge.name === 'Friends On Tap');
      expect(friends?.rank).not.toBeNull();
      expect(await page.getByText(`Your team is number ${friends?.rank} of ${friends?.of}.`).count()).toBe(1);
      // Meters by name, with when they last read.
      for (const meter of household.meters)
        expect(await page.locator('ul.meters li', { hasText: meter.id }).textContent()).toMatch(/last reading (at|on)/);
      await page.getByRole('button', { name: 'Year', exact: true }).click();
      await expect.poll(() => page.locator('ontap-chart tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Week', exact: true }).click();
      await expect.poll(() => page.locator('ontap-chart tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await lookAt(page, 'household');
      await page.context().close();
    }
  });

  it('walks a household through its page by keyboard, connects a meter, and shows (and says once) a reading that arrives', async () => {
    const page = await openAs('household', 1, 1280);
    await expect.poll(() => page.locator('.figure').first().textContent(), { timeout: 20_000 }).toMatch(/ L$/);
    await expectKeyboardReachesEverything(page);
    // Connect a meter with the keyboard alone.
    await page.getByText('Connect a meter', { exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('browser-test-meter');
    await page.keyboard.press('Tab'); // what it measures: water, the first choice
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#meter-credentials').count(), { timeout: 10_000 }).toBe(1);
    const credential = async (id: string) => (await page.locator(`#${id}`).textContent()) as string;
    const [username, clientId, password, topic] = (await Promise.all(
      ['meter-username', 'meter-client-id', 'meter-password', 'meter-topic'].map(credential),
    )) as [string, string, string, string];
    expect([username, clientId, topic]).toStrictEqual([
      'meter-browser-test-meter',
      'meter-browser-test-meter',
      'ontap/v1/meters/browser-test-meter/readings',
    ]);
    await expect.poll(() => page.locator('ul.meters li', { hasText: 'browser-test-meter' }).count()).toBe(1);
    await expectAccessible(page);
    await page.locator('ontap-meter-form').screenshot({ path: join(screenshots, 'household-meter.png') });

    // The new meter reads 40 L over the last minutes: today's figure changes on its own, is
    // highlighted, and the change is said once.
    const before = await page.locator('.figure').first().textContent();
    const device = await mqtt.connectAsync(ontap.mqttUrl, {
      username,
      clientId,
      password,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const now = Date.now();
    await device.publishAsync(
      topic,
      JSON.stringify([
        { ts: now - 120_000, kind: 'water', register: 100, unit: 'L' },
        { ts: now - 60_000, kind: 'water', register: 140, unit: 'L' },
      ]),
      { qos: 1 },
    );
    await device.publishAsync(topic.replace(/readings$/, 'status'), JSON.stringify({ online: true, battery: 87 }), {
      qos: 1,
      retain: true,
    });
    await device.endAsync();
    const published = Date.now();
    await expect.poll(() => page.locator('.figure').first().textContent(), { timeout: 30_000, interval: 250 }).not.toBe(before);
    // Within a few seconds: ingest's batch, then the stream's next 5-second look.
    const seconds = (Date.now() - published) / 1000;
    console.log(`household page showed the new reading ${seconds.toFixed(1)} s after it was published`);
    expect(seconds).toBeLessThan(15);
    expect(await page.locator('.figure.changed').count()).toBe(1);
    expect(await announced(page)).toMatch(/^Today so far: [\d,.]+ L\.$/);
  });

  it('shows a champion the live board with each team’s mentor under “Mentor”, at both widths, and a household not the champion page', async () => {
    for (const width of [1280, 390]) {
      const page = await openAs('champion', 0, width);
      const challengeId = await friendsOnTapId(page);
      await page.goto(`${ontap.url}/champion.html?challenge=${challengeId}`);
      const board = await apiGet<{ entries: { name: string; mentor?: string | null; rank: number | null }[] }>(
        page,
        `/api/challenges/${challengeId}/leaderboard`,
      );
      await expect
        .poll(() => page.locator('ontap-live-board ontap-data-table').first().locator('tbody tr').count(), { timeout: 20_000 })
        .toBe(board.entries.length);
      const rows = await tableRows(page, 'ontap-live-board');
      expect(rows.map((row) => [row.Team, row.Mentor])).toStrictEqual(board.entries.map((e) => [e.name, e.mentor ?? '']));
      for (const row of rows) {
        expect(row.Saving).toMatch(/^\d+(\.\d)?% (less|more)$|^not |^too few/);
        if ('Today so far' in row) expect(row['Today so far']).toMatch(/^\d+% (less|more)$|^–$/);
      }
      await lookAt(page, 'champion');
      await page.context().close();
    }
    const household = await openAs('household', 0, 390, '/champion.html');
    await expect.poll(() => household.getByRole('heading', { level: 1 }).textContent()).toBe('Not for this account');
    expect(await household.getByRole('button', { name: 'Start the challenge' }).count()).toBe(0);
    await lookAt(household, 'champion-as-household');
  });

  it('shows every board of a Friends On Tap challenge, lets its champion change a team, and shows a mentor its team, at both widths', async () => {
    type Board = { households: { name: string; rank: number | null; saving: number | null }[] | null };
    type Teams = { id: string; name: string; members: { alias: string }[]; mentor: { alias: string } | null }[];
    for (const width of [1280, 390]) {
      const page = await openAs('champion', 0, width);
      const challengeId = await friendsOnTapId(page);
      await page.goto(`${ontap.url}/champion.html?challenge=${challengeId}`);
      // The households board beside the teams': every home by rank, no saving (the API gives none).
      const board = await apiGet<Board>(page, `/api/challenges/${challengeId}/leaderboard`);
      expect(board.households?.length).toBeGreaterThan(0);
      expect(board.households?.every((entry) => entry.saving === null)).toBe(true);
      const homes = page.locator('ontap-live-board ontap-data-table').nth(1);
      await expect.poll(() => homes.locator('tbody tr').count(), { timeout: 20_000 }).toBe(board.households?.length);
      expect(await homes.locator('caption').textContent()).toContain('Every home, by rank');
      // Folded under the board; opened, it is checked with the rest of the page.
      await page.locator('ontap-live-board summary').click();
      await expect.poll(() => homes.isVisible()).toBe(true);
      // The teams, each with its homes and mentor, as the API lists them.
      const teams = await apiGet<Teams>(page, `/api/challenges/${challengeId}/teams`);
      const listed = page.locator('ontap-teams-editor ul.teams > li > p');
      await expect.poll(() => listed.count(), { timeout: 20_000 }).toBe(teams.length);
      const [first] = teams;
      expect(await listed.first().textContent()).toBe(
        `${first?.name}: ${first?.members.map((m) => m.alias).join(', ')}. Mentor: ${first?.mentor?.alias}.`,
      );
      await lookAt(page, 'champion-teams');
      await page.context().close();
    }

    // Renaming a team in place: the mentor offered is one of the homes ticked, and the list says the new name.
    const page = await openAs('champion', 0, 1280);
    const challengeId = await friendsOnTapId(page);
    await page.goto(`${ontap.url}/champion.html?challenge=${challengeId}`);
    const [team] = await apiGet<Teams>(page, `/api/challenges/${challengeId}/teams`);
    const editor = page.locator('ontap-teams-editor ul.teams > li').first();
    await editor.getByText(`Change ${team?.name}`).click();
    const form = editor.locator('ontap-team-form');
    const mentorChoices = await form.getByLabel('Mentor').locator('option').allTextContents();
    expect(mentorChoices.sort()).toStrictEqual(team?.members.map((m) => m.alias).sort());
    await form.getByLabel('Team name').fill(`${team?.name} United`);
    await form.getByRole('button', { name: 'Save the team' }).click();
    await expect
      .poll(() => editor.locator('p').first().textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^${team?.name} United:`));
    expect((await apiGet<Teams>(page, `/api/challenges/${challengeId}/teams`)).map((one) => one.name)).toContain(
      `${team?.name} United`,
    );
    await page.context().close();

    // The demo's first household mentors its team: its challenge card opens the mentor's view.
    for (const width of [1280, 390]) {
      const household = await openAs('household', 0, width);
      const summary = household.getByText(/^You mentor /);
      await expect.poll(() => summary.count(), { timeout: 20_000 }).toBe(1);
      await summary.click();
      const rows = household.locator('ontap-mentor-view tbody tr');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(1);
      const cells = await tableRows(household, 'ontap-mentor-view');
      expect(cells.some((row) => /\(you\)$/.test(row.Home ?? ''))).toBe(true);
      // In words: never a member's figure ("12.5% less"), which beside the team's would give baselines away.
      for (const row of cells) expect(row['How it is going']).not.toMatch(/\d+(\.\d)?% (less|more)/);
      expect(await household.getByText(/^Your home is number \d+ of \d+ homes\.$/).count()).toBeGreaterThan(0);
      // Its challenge's boards, opened from its own page: the teams, then every home by rank.
      const card = household.locator('div.challenge', { has: household.getByRole('heading', { name: 'Friends On Tap' }) });
      await card.getByText('See the leaderboard').click();
      const teamsBoard = card.locator('ontap-live-board ontap-data-table').first().locator('tbody tr');
      await expect.poll(() => teamsBoard.count(), { timeout: 20_000 }).toBeGreaterThan(1);
      expect(await card.locator('ontap-live-board summary').textContent()).toMatch(/^Every home, by rank \(\d+\)$/);
      await lookAt(household, 'household-mentor');
      await household.context().close();
    }
  }, 240_000);

  it('walks a champion by keyboard through starting a challenge and inviting streets, then its board updates live from MQTT', async () => {
    const page = await openAs('champion', 0, 1280);
    await expect
      .poll(() => page.locator('ontap-live-board ontap-data-table').first().locator('tbody tr').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expectKeyboardReachesEverything(page);
    const startsOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const [year, month, day] = startsOn.split('-');
    // Keyboard only: the kind (typed to its first letter), name, date, then Enter.
    await page.getByLabel('Kind of challenge').focus();
    await page.keyboard.type('Personal');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Browser test');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${month}${day}${year}`);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('select#field-challenge option:checked').textContent(), { timeout: 10_000 })
      .toMatch(/^Browser test/);
    expect(await page.getByLabel('Starts on').inputValue()).not.toBe(startsOn); // the form was cleared for the next one
    await expect.poll(() => page.getByText('0 of 0 invited homes have joined.').count(), { timeout: 10_000 }).toBe(1);
    // Nothing chosen: the form says so rather than inviting no one.
    await page.getByRole('button', { name: 'Invite these streets' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('Choose at least one street.').count()).toBe(1);
    for (const box of await page.locator('ontap-invite-streets-form input[type=checkbox]').all()) {
      await box.focus();
      await page.keyboard.press('Space');
    }
    await page.getByRole('button', { name: 'Invite these streets' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toMatch(/36 more homes invited/);
    await expect.poll(() => page.getByText('0 of 36 invited homes have joined.').count(), { timeout: 10_000 }).toBe(1);

    // Two demo households join through the API, as their own pages would.
    const challengeId = new URL(page.url()).searchParams.get('challenge') as string;
    const joiners = [login('household', 0), login('household', 2)];
    const csrf: string[] = [];
    for (const who of joiners) {
      const context = await browser.newContext();
      const signedIn = await context.request.post(`${ontap.url}/api/auth/login`, {
        data: { email: who.email, password: who.password },
      });
      const { csrfToken } = await signedIn.json();
      csrf.push(csrfToken);
      expect(
        (
          await context.request.post(`${ontap.url}/api/challenges/${challengeId}/membership`, {
            headers: { 'x-csrf-token': csrfToken },
          })
        ).status(),
      ).toBe(201);
      await context.close();
    }
    await expect
      .poll(() => page.locator('ontap-live-board ontap-data-table').first().locator('tbody tr').count(), { timeout: 30_000 })
      .toBe(2);
    const before = await page.locator('ontap-live-board tbody').first().textContent();

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
    await expect
      .poll(() => page.locator('ontap-live-board tbody').first().textContent(), { timeout: 45_000, interval: 250 })
      .not.toBe(before);
    expect(await page.locator('ontap-live-board td.changed, ontap-live-board th.changed').count()).toBeGreaterThan(0);
    expect(await announced(page)).toMatch(/^The leaderboard was updated/);
    await page.screenshot({ path: join(screenshots, 'champion-live.png'), fullPage: true });
  });

  it('renders the poster for print on A4, and on screen at both widths', async () => {
    const phone = await openAs('champion', 0, 390);
    await phone.goto(`${ontap.url}/poster.html?challenge=${await friendsOnTapId(phone)}`);
    await expect.poll(() => phone.locator('ol li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await lookAt(phone, 'poster');
    const page = await openAs('champion', 0, 1280);
    const challengeId = await friendsOnTapId(page);
    await page.goto(`${ontap.url}/poster.html?challenge=${challengeId}`);
    await expect.poll(() => page.locator('ol li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('ol li').first().textContent()).toMatch(/: \d+(\.\d)?% less/);
    await lookAt(page, 'poster');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.print').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', path: join(screenshots, 'poster.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('opens a utility partner on the neighbourhood’s daily use per person, with figures (not all withheld), at both widths', async () => {
    for (const width of [1280, 390]) {
      const page = await openAs('utility', 0, width);
      await expect.poll(() => page.locator('ontap-data-table tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(20);
      const rows = await tableRows(page, 'section[aria-labelledby=figures-title] ontap-data-table');
      const shown = rows.filter((row) => /^[\d,.]+ L$/.test(row['Per person per day'] ?? ''));
      expect(shown.length).toBeGreaterThan(rows.length / 2);
      for (const row of shown) expect(row.Area).toBe('The whole neighbourhood');
      expect(await page.locator('ontap-chart canvas').count()).toBe(1);
      await lookAt(page, 'utility');
      // Electricity: a chart too, or words saying why there is none.
      await page.getByLabel('Meter').selectOption('electricity');
      await page.getByRole('button', { name: 'Show' }).click();
      await expect
        .poll(
          async () =>
            (await page.locator('ontap-chart canvas').count()) +
            (await page.getByText(/Every figure in this period is withheld/).count()),
          { timeout: 20_000 },
        )
        .toBe(1);
      await page.getByLabel('Grouped by').selectOption('street');
      await page.getByRole('button', { name: 'Show' }).click();
      await expect.poll(() => page.locator('ontap-data-table tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(20);
      if (width === 1280) await expectKeyboardReachesEverything(page);
      await page.context().close();
    }
  });

  it('lets a champion invite a new household, who signs up from the link and is shown how to connect its first meter', async () => {
    const champion = await openAs('champion', 0, 1280);
    await expect.poll(() => champion.getByLabel('Their street').locator('option').count(), { timeout: 20_000 }).toBe(3);
    await champion.getByLabel('Their street').selectOption({ label: 'Mill Road (12 homes)' });
    await champion.getByRole('button', { name: 'Make an invitation code' }).click();
    const link = champion.getByRole('link', { name: 'Sign-up link to share' });
    await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
    const href = (await link.getAttribute('href')) as string;
    expect(new URL(href).pathname).toBe('/signup.html');

    const page = await newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(href);
    expect(await page.getByLabel('Invitation code').inputValue()).toBe(new URL(href).searchParams.get('code'));
    await page.getByLabel('Email').fill('new-home@example.org');
    await page.getByLabel('Password').fill('kettle lantern orchard');
    await page.getByLabel('Name on leaderboards').fill('Quiet Kingfisher');
    await page.getByLabel('People living in your home').fill('3');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForURL(/household\.html/);
    await expect.poll(() => page.getByRole('heading', { name: 'Connect your first meter' }).count(), { timeout: 20_000 }).toBe(1);
    // No empty figures or blank chart for a home without a meter.
    expect(await page.locator('.figure').count()).toBe(0);
    expect(await page.locator('ontap-chart').count()).toBe(0);
    await expect
      .poll(() => page.getByText('You are not in a challenge yet.', { exact: false }).count(), { timeout: 20_000 })
      .toBe(1);
    await page.getByRole('link', { name: 'Connect a meter' }).click();
    await expect.poll(() => page.getByLabel('Meter name').isVisible()).toBe(true);
    await lookAt(page, 'household-new');
    await page.context().close();
  });

  it('shows the operator rejected messages and makes invitation codes, at both widths', async () => {
    for (const width of [1280, 390]) {
      const page = await openAs('admin', 0, width);
      await expect
        .poll(() => page.getByRole('heading', { name: 'Rejected meter messages' }).count(), { timeout: 20_000 })
        .toBe(1);
      await page.getByLabel('Neighbourhood', { exact: true }).selectOption({ label: 'Riverside (demo)' });
      await page.getByLabel('Role').selectOption('utility');
      await page.getByRole('button', { name: 'Make an invitation code' }).click();
      await expect.poll(() => page.locator('ontap-admin-invite-form code').count(), { timeout: 10_000 }).toBe(1);
      await lookAt(page, 'admin');
      await page.context().close();
    }
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
      // The teams' board first; the homes by rank follow in a second table (folded).
      const teams = page.locator('ontap-data-table').first();
      await expect.poll(() => teams.locator('tbody tr').count(), { timeout: 20_000 }).toBe(board.entries.length);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Friends On Tap');
      // The rule: a public board shows rank and saving for complete days only — no live "today"
      // figure, and no litres saved (beside a saving and its days they give away a baseline).
      expect(await teams.locator('thead th').allTextContents()).toStrictEqual(['Rank', 'Team', 'Saving', 'Mentor']);
      const rows = await tableRows(page, 'ontap-data-table');
      expect(rows.map((row) => [row.Team, row.Mentor])).toStrictEqual(
        board.entries.map((entry) => [entry.name, entry.mentor ?? '']),
      );
      for (const row of rows) expect(row.Saving).toMatch(/^\d+(\.\d)?% (less|more)$|^not |^too few/);
      await lookAt(page, 'public-board');
      await page.context().close();
    }
    // A wrong or hostile link is said in words, and nothing of it is shown back.
    for (const hostile of ['no-such-challenge', '../auth/me', '%00', '<script>alert(1)</script>']) {
      const page = await newPage();
      await page.goto(`${ontap.url}/board.html?challenge=${encodeURIComponent(hostile)}`);
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toMatch('This leaderboard is not public, or the link is not right.');
      expect(await page.getByText(hostile).count()).toBe(0);
      await page.context().close();
    }
  });

  it('sets up a new neighbourhood in the browser: operator, then its champion, then a household who joins a challenge with a pledge', async () => {
    // The operator: a neighbourhood, its streets (typed and from a CSV file), its champion's code.
    const admin = await openAs('admin', 0, 1280);
    await expect.poll(() => admin.getByRole('heading', { name: 'Set up a neighbourhood' }).count(), { timeout: 20_000 }).toBe(1);
    const newNeighbourhood = admin.locator('ontap-neighbourhood-form');
    await newNeighbourhood.getByLabel('Name', { exact: true }).fill('Elm Park');
    await newNeighbourhood.getByLabel('Time zone', { exact: true }).selectOption('Europe/London');
    await admin.getByRole('button', { name: 'Set up the neighbourhood' }).click();
    await expect
      .poll(() => admin.locator('ontap-data-table tbody tr', { hasText: 'Elm Park' }).count(), { timeout: 10_000 })
      .toBe(1);
    await expect.poll(() => admin.locator('select#field-neighbourhood option:checked').textContent()).toBe('Elm Park');
    // A list too long, or a name too long, is said beside the field, in words.
    const names = admin.getByLabel('Street names, one per line');
    await names.fill(Array.from({ length: 201 }, (_, i) => `Lane ${i}`).join('\n'));
    await admin.getByRole('button', { name: 'Add the streets' }).click();
    await expect
      .poll(() => admin.locator('#street-names-problem').textContent(), { timeout: 10_000 })
      .toBe('At most 200 streets at a time: split the list.');
    await names.fill(`Oak Road\n${'Long'.repeat(21)}`);
    await admin.getByRole('button', { name: 'Add the streets' }).click();
    await expect
      .poll(() => admin.locator('#street-names-problem').textContent(), { timeout: 10_000 })
      .toBe('A street name has more than 80 characters.');
    await admin.getByLabel('Street names, one per line').fill('Oak Road\nAsh Grove');
    await admin.getByLabel('Or a CSV file').setInputFiles({
      name: 'streets.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('ward,street\nNorth,Birch Way\nNorth,Oak Road\n'),
    });
    await admin.getByRole('button', { name: 'Add the streets' }).click();
    await expect
      .poll(() => admin.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toMatch(/3 streets added; 0 were there already/);
    await admin.getByLabel('Role').selectOption('champion');
    await admin.getByRole('button', { name: 'Make an invitation code' }).click();
    const championLink = admin.locator('ontap-admin-invite-form').getByRole('link', { name: 'Sign-up link to share' });
    await expect.poll(() => championLink.count(), { timeout: 10_000 }).toBe(1);
    await lookAt(admin, 'admin-set-up');

    // The champion signs up from the link, sees the streets, invites a household on Oak Road.
    const champion = await newPage({ viewport: { width: 390, height: 900 } });
    await champion.goto((await championLink.getAttribute('href')) as string);
    await champion.getByLabel('Email').fill('champion@elm-park.example');
    await champion.getByLabel('Password').fill('kettle lantern orchard elm');
    await champion.getByRole('button', { name: 'Join' }).click();
    await champion.waitForURL(/champion\.html/);
    await expect.poll(() => champion.getByText('No challenge yet.', { exact: false }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => champion.getByText('Ash Grove, Birch Way, Oak Road').count(), { timeout: 20_000 }).toBe(1);
    await champion.getByLabel('Their street').selectOption({ label: 'Oak Road (0 homes)' });
    await champion.getByRole('button', { name: 'Make an invitation code' }).click();
    const householdLink = champion.getByRole('link', { name: 'Sign-up link to share' });
    await expect.poll(() => householdLink.count(), { timeout: 10_000 }).toBe(1);
    const householdHref = (await householdLink.getAttribute('href')) as string;
    // And starts a challenge for Oak Road, beginning next Monday.
    await champion.getByLabel('Kind of challenge').selectOption('personal_best');
    await champion.getByLabel('Name (optional)').fill('Oak Road Best');
    await champion.getByRole('button', { name: 'Start the challenge' }).click();
    await expect
      .poll(() => champion.locator('select#field-challenge option:checked').textContent(), { timeout: 10_000 })
      .toMatch(/^Oak Road Best/);
    await expect.poll(() => champion.getByText('0 of 0 invited homes have joined.').count(), { timeout: 10_000 }).toBe(1);

    // The household signs up; before its street is invited it has nothing to join.
    const household = await newPage({ viewport: { width: 390, height: 900 } });
    await household.goto(householdHref);
    await household.getByLabel('Email').fill('home@elm-park.example');
    await household.getByLabel('Password').fill('kettle lantern orchard oak');
    await household.getByLabel('Name on leaderboards').fill('Oak Otter');
    await household.getByRole('button', { name: 'Join' }).click();
    await household.waitForURL(/household\.html/);
    await expect
      .poll(() => household.getByText('You are not in a challenge yet.', { exact: false }).count(), { timeout: 20_000 })
      .toBe(1);
    expect(await household.getByRole('heading', { name: 'You are invited' }).count()).toBe(0);

    // The champion looks again (street counts are read as the page opens) and invites Oak Road.
    await champion.reload();
    await champion.locator('ontap-invite-streets-form').getByLabel('Oak Road (1 home)').check();
    await champion.getByRole('button', { name: 'Invite these streets' }).click();
    await expect.poll(() => champion.getByText('0 of 1 invited homes have joined.').count(), { timeout: 10_000 }).toBe(1);
    await lookAt(champion, 'champion-new-neighbourhood');

    // Invited: the household joins in one step, with a pledge, and sees when it starts.
    await household.reload();
    await expect.poll(() => household.getByRole('heading', { name: 'You are invited' }).count(), { timeout: 20_000 }).toBe(1);
    await lookAt(household, 'household-invited');
    await household.getByLabel('Shorter showers (5 minutes)').check();
    await household.getByRole('button', { name: 'Join Oak Road Best' }).click();
    await expect.poll(() => household.getByRole('heading', { name: 'You are invited' }).count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => household.getByText(/^Starts on .*complete day\.$/).count(), { timeout: 20_000 }).toBe(1);
    expect(await household.getByText('You pledged: Shorter showers (5 minutes).').count()).toBe(1);
    await champion.reload();
    await expect.poll(() => champion.getByText('1 of 1 invited homes have joined.').count(), { timeout: 20_000 }).toBe(1);

    // Leaving is behind a disclosure, and puts the invitation back.
    await household.getByText('Leave this challenge').click();
    await household.getByRole('button', { name: 'Leave Oak Road Best' }).click();
    await expect.poll(() => household.getByRole('heading', { name: 'You are invited' }).count(), { timeout: 20_000 }).toBe(1);
    await expect
      .poll(() => household.getByText('You are not in a challenge yet.', { exact: false }).count(), { timeout: 20_000 })
      .toBe(1);

    // A street stays invited: a home that signs up on Oak Road now is invited too. A home on Ash
    // Grove (not invited) is invited from the champion's roster, one home at a time.
    let lastLink = householdHref;
    const signUpOn = async (street: string, alias: string) => {
      const streets = champion.getByLabel('Their street');
      await streets.selectOption((await streets.locator('option', { hasText: street }).getAttribute('value')) as string);
      await champion.getByRole('button', { name: 'Make an invitation code' }).click();
      const link = champion.locator('ontap-invite-household-form').getByRole('link', { name: 'Sign-up link to share' });
      await expect.poll(async () => (await link.getAttribute('href')) ?? '', { timeout: 10_000 }).not.toBe(lastLink);
      lastLink = (await link.getAttribute('href')) as string;
      const page = await newPage({ viewport: { width: 390, height: 900 } });
      await page.goto(lastLink);
      await page.getByLabel('Email').fill(`${alias.toLowerCase().replace(/\W+/g, '-')}@elm-park.example`);
      await page.getByLabel('Password').fill('kettle lantern orchard later');
      await page.getByLabel('Name on leaderboards').fill(alias);
      await page.getByRole('button', { name: 'Join' }).click();
      await page.waitForURL(/household\.html/);
      return page;
    };
    const owl = await signUpOn('Oak Road', 'Oak Owl');
    await expect.poll(() => owl.getByRole('button', { name: 'Join Oak Road Best' }).count(), { timeout: 20_000 }).toBe(1);
    const ant = await signUpOn('Ash Grove', 'Ash Ant');
    await expect
      .poll(() => ant.getByText('You are not in a challenge yet.', { exact: false }).count(), { timeout: 20_000 })
      .toBe(1);
    expect(await ant.getByRole('heading', { name: 'You are invited' }).count()).toBe(0);
    await champion.reload();
    const roster = champion.locator('ontap-roster');
    await expect.poll(() => roster.locator('tbody tr').count(), { timeout: 20_000 }).toBe(3);
    const rows = await tableRows(champion, 'ontap-roster ontap-data-table');
    expect(rows.map((row) => [row.Home, row.Street, row.Invite])).toStrictEqual([
      ['Ash Ant', 'Ash Grove', 'Invite Ash Ant'],
      ['Oak Otter', 'Oak Road', 'invited'],
      ['Oak Owl', 'Oak Road', 'invited'],
    ]);
    await roster.getByRole('button', { name: 'Invite Ash Ant' }).click();
    await expect
      .poll(() => champion.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toMatch(/Ash Ant is invited to Oak Road Best/);
    await lookAt(champion, 'champion-roster');
    await ant.reload();
    await expect.poll(() => ant.getByRole('button', { name: 'Join Oak Road Best' }).count(), { timeout: 20_000 }).toBe(1);

    // Its life: a target set before it starts shows on a member's page; cancelled, it is offered
    // to no one.
    await owl.getByRole('button', { name: 'Join Oak Road Best' }).click();
    await expect.poll(() => owl.getByText('You joined Oak Road Best.').count(), { timeout: 20_000 }).toBe(1);
    await champion.getByText('Change its name, target or dates').click();
    await champion.locator('ontap-challenge-lifecycle').getByLabel('Target saving in % (optional)').fill('10');
    await champion.getByRole('button', { name: 'Save the changes' }).click();
    await expect
      .poll(() => champion.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toMatch(/The challenge is changed/);
    await owl.reload();
    await expect.poll(() => owl.getByText('Target: 10.0% less than usual, all together.').count(), { timeout: 20_000 }).toBe(1);
    await champion.getByText('Cancel this challenge').click();
    await champion.getByRole('button', { name: 'Cancel Oak Road Best' }).click();
    await expect
      .poll(() => champion.getByText('This challenge was cancelled before it started.').count(), { timeout: 10_000 })
      .toBe(1);
    await ant.reload();
    await expect
      .poll(() => ant.getByText('You are not in a challenge yet.', { exact: false }).count(), { timeout: 20_000 })
      .toBe(1);
    expect(await ant.getByRole('heading', { name: 'You are invited' }).count()).toBe(0);

    // Last spring's Friends On Tap, run after the event from the meters' backlogs: started with past
    // dates, offered to the invited homes (who say yes to their figures counting by joining), and
    // teams formed around a mentor, who then sees its team.
    const newChallenge = champion.locator('ontap-new-challenge-form');
    await newChallenge.getByLabel('Kind of challenge').selectOption('friends_on_tap');
    await newChallenge.getByLabel('Name (optional)').fill('Spring Friends');
    await newChallenge.getByLabel('Starts on').fill('2026-03-23');
    await newChallenge.getByRole('button', { name: 'Start the challenge' }).click();
    await expect
      .poll(() => champion.locator('select#field-challenge option:checked').textContent(), { timeout: 10_000 })
      .toMatch(/^Spring Friends/);
    await champion
      .locator('ontap-invite-streets-form')
      .getByLabel(/^Oak Road/)
      .check();
    await champion.getByRole('button', { name: 'Invite these streets' }).click();
    await expect.poll(() => champion.getByText('0 of 2 invited homes have joined.').count(), { timeout: 10_000 }).toBe(1);
    for (const page of [household, owl]) {
      await page.reload();
      await expect.poll(() => page.getByText(/^This challenge has already finished/).count(), { timeout: 20_000 }).toBe(1);
      await page.getByRole('button', { name: 'Join Spring Friends' }).click();
      await expect.poll(() => page.getByText('You joined Spring Friends.').count(), { timeout: 20_000 }).toBe(1);
    }
    await lookAt(owl, 'household-joined-past');
    await champion.reload();
    await expect.poll(() => champion.getByText('2 of 2 invited homes have joined.').count(), { timeout: 20_000 }).toBe(1);
    const teamForm = champion.locator('ontap-teams-editor ontap-team-form').last();
    await teamForm.getByLabel('Team name').fill('Oak Friends');
    await teamForm.getByLabel('Oak Otter (Oak Road)').check();
    // The mentor is offered among the homes ticked only.
    expect(await teamForm.getByLabel('Mentor').locator('option').allTextContents()).toStrictEqual(['Oak Otter']);
    await teamForm.getByLabel('Oak Owl (Oak Road)').check();
    await teamForm.getByLabel('Mentor').selectOption({ label: 'Oak Owl' });
    await teamForm.getByRole('button', { name: 'Form the team' }).click();
    await expect
      .poll(() => champion.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toMatch(/Team Oak Friends is formed/);
    await expect
      .poll(() => champion.locator('ontap-teams-editor ul.teams > li > p').first().textContent(), { timeout: 10_000 })
      .toBe('Oak Friends: Oak Otter, Oak Owl. Mentor: Oak Owl.');
    await lookAt(champion, 'champion-past-challenge');
    await owl.reload();
    await owl.getByText('You mentor Oak Friends').click();
    // The challenge it joined before it was cancelled says so, with no target and no start to wait for.
    expect(await owl.getByText(/^This challenge was cancelled before it started\. You can leave it/).count()).toBe(1);
    await expect.poll(() => owl.locator('ontap-mentor-view tbody tr').count(), { timeout: 20_000 }).toBe(2);
    await lookAt(owl, 'household-mentor-past');
    for (const page of [admin, champion, household, owl, ant]) await page.context().close();
  }, 180_000);

  it('renders the API reference at /docs for people, under the strict policy, at both widths', async () => {
    for (const width of [1280, 390]) {
      const page = await newPage({ viewport: { width, height: 900 } });
      const response = await page.goto(`${ontap.url}/docs`);
      expect(response?.headers()['content-security-policy']).toMatch(/style-src 'self';/);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 }).toBe('OnTap API');
      expect(await page.getByRole('heading', { level: 3 }).count()).toBeGreaterThan(30);
      expect(await page.getByRole('heading', { name: 'GET /api/households/{householdId}/usage' }).count()).toBe(1);
      await lookAt(page, 'api-reference');
      await page.context().close();
    }
    const json = await fetch(`${ontap.url}/docs/json`);
    expect(((await json.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });
});
