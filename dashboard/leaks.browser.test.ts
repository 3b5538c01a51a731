/// <reference lib="dom" />
// Leak episodes in a real browser (Chromium) against `ontap start` with its demo, whose one leaking
// home has a leak running now (docs/leaks.md): the home reads its leak history against the API at
// both widths and says, by keyboard, that the water was expected; its warning goes, and its
// champion's count of homes with a possible leak nobody has dealt with goes down, street by street.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllInOne, launchChromium, startAllInOne } from './testing/all-in-one.ts';

const screenshots = join(import.meta.dirname, '..', 'artifacts', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Episode = { start: string; end: string | null; litresLost: number; cost: { amount: number }; mark: string | null };
type Counts = { households: number; streets: { street: string; households: number | null }[] };

describe('leak episodes in Chromium', { timeout: 120_000 }, () => {
  let ontap: AllInOne;
  let browser: Browser;
  const signedIn = new Map<string, Awaited<ReturnType<import('playwright-core').BrowserContext['storageState']>>>();

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [ontap, browser] = await Promise.all([startAllInOne(), launchChromium()]);
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await ontap?.stop();
  });

  /** The demo's sign-in of `role` (the second household is the one with the leak), at a width. */
  async function openAs(role: 'household' | 'champion', width: number): Promise<Page> {
    const saved = signedIn.get(role);
    const context = await browser.newContext({ viewport: { width, height: 900 }, ...(saved ? { storageState: saved } : {}) });
    const page = await context.newPage();
    if (saved) {
      await page.goto(`${ontap.url}/${role}.html`);
      return page;
    }
    const who = ontap.logins.filter((login) => login.role === role)[role === 'household' ? 1 : 0];
    if (!who) throw new Error(`no demo ${role}`);
    await page.goto(`${ontap.url}/`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\.html/);
    signedIn.set(role, await context.storageState());
    return page;
  }

  const apiGet = <T>(page: Page, path: string) => page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<T>;

  /** A table's rows as {header: cell text}, looking into shadow roots. */
  const tableRows = (page: Page, host: string): Promise<Record<string, string>[]> =>
    page
      .locator(`${host} table`)
      .first()
      .evaluate((table) => {
        const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
        return [...table.querySelectorAll('tbody tr')].map((tr) =>
          Object.fromEntries([...tr.children].map((cell, i) => [headers[i] ?? String(i), cell.textContent?.trim() ?? ''])),
        );
      });

  /** Fits (no sideways scrolling), passes axe (WCAG 2.2 A and AA, any impact), and is photographed. */
  async function lookAt(page: Page, name: string) {
    const width = page.viewportSize()?.width ?? 0;
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${name} at ${width} px`).toBe(true);
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe;
      const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] } });
      return result.violations.map((violation) => violation.id);
    });
    expect(violations, `${name} at ${width} px`).toStrictEqual([]);
    await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
  }

  const figure = (text: string | undefined) => Number((text ?? '').replace(/[^\d.]/g, ''));

  it('shows the home its leak history as the API gives it, and its mark takes the warning and the champion’s count away', async () => {
    for (const width of [1280, 390]) {
      const page = await openAs('household', width);
      // The first view of a home after start computes its challenges' boards (PGlite, one query at a time): allow for it.
      await expect.poll(() => page.locator('ontap-household-leaks tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
      const who = await apiGet<{ householdId: string }>(page, '/api/auth/me');
      const leaks = await apiGet<{ episodes: Episode[] }>(page, `/api/households/${who.householdId}/leaks`);
      const rows = await tableRows(page, 'ontap-household-leaks');
      expect(rows).toHaveLength(leaks.episodes.length);
      expect(rows[0]?.Stopped).toBe('Still going');
      expect(rows.map((row) => figure(row['Litres lost']))).toStrictEqual(
        leaks.episodes.map((e) => Number(e.litresLost.toFixed(e.litresLost < 10 ? 1 : 0))),
      );
      expect(rows.map((row) => figure(row.Cost))).toStrictEqual(leaks.episodes.map((e) => e.cost.amount));
      await expect.poll(() => page.getByRole('heading', { name: 'Possible leak' }).count(), { timeout: 20_000 }).toBe(1);
      await lookAt(page, 'household-leaks');
      await page.context().close();
    }

    const champion = await openAs('champion', 1280);
    await expect.poll(() => champion.locator('ontap-leak-counts tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const me = await apiGet<{ neighbourhoodId: string }>(champion, '/api/auth/me');
    const before = await apiGet<Counts>(champion, `/api/neighbourhoods/${me.neighbourhoodId}/leaks`);
    expect(before.households).toBe(1);
    expect(
      (await tableRows(champion, 'ontap-leak-counts')).map((row) => [row.Street, row['Homes with a possible leak']]),
    ).toStrictEqual(before.streets.map((street) => [street.street, String(street.households)]));
    await expect.poll(() => champion.getByText('1 home has a possible leak').count()).toBe(1);
    await lookAt(champion, 'champion-leaks');

    // The home says, by keyboard, that the running one was expected (watering).
    const page = await openAs('household', 390);
    const expected = page.locator('ontap-household-leaks tbody tr').first().getByRole('button', { name: 'Expected (watering)' });
    await expected.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toMatch(/is marked expected/);
    await expect.poll(() => expected.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByRole('heading', { name: 'Possible leak' }).count()).toBe(0);
    const who = await apiGet<{ householdId: string }>(page, '/api/auth/me');
    const marked = await apiGet<{ episodes: Episode[] }>(page, `/api/households/${who.householdId}/leaks`);
    expect(marked.episodes[0]?.mark).toBe('expected');

    await champion.reload();
    await expect.poll(() => champion.getByText('0 homes have a possible leak').count(), { timeout: 20_000 }).toBe(1);
    const after = await apiGet<Counts>(champion, `/api/neighbourhoods/${me.neighbourhoodId}/leaks`);
    expect(after.households).toBe(0);
    expect(after.streets.every((street) => street.households === 0 || street.households === null)).toBe(true);
    await page.context().close();
    await champion.context().close();
  });
});
