/// <reference lib="dom" />
// What OnTap puts on paper, in a real browser against `ontap start` with its demo: the poster with
// its target, litres saved so far and QR code (drawn as the shared QR module draws it, for the page a
// passer-by can use); a champion's invitation letters downloaded as a PDF; and the operator
// renaming, moving and archiving a neighbourhood. Screenshots go to artifacts/screenshots/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pdfPageCount } from '../api/testing/pdf.ts';
import { qrDrawing, qrPath } from '../lib/qr-code.ts';
import { type AllInOne, launchChromium, startAllInOne } from './testing/all-in-one.ts';
import { type PageTools, pageTools, screenshots } from './testing/pages.ts';

describe('paper: poster, invitation letters, and neighbourhoods edited and archived', { timeout: 90_000 }, () => {
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
  afterEach(() => {
    expect(tools.takeCspViolations()).toStrictEqual([]);
  });

  /** The demo's challenge of this name, through the API as the signed-in page. */
  const challengeId = (page: Page, name: string): Promise<string> =>
    page.evaluate(async (wanted) => {
      const who = (await (await fetch('/api/auth/me')).json()) as { neighbourhoodId: string };
      const list = (await (await fetch(`/api/neighbourhoods/${who.neighbourhoodId}/challenges`)).json()) as {
        id: string;
        name: string;
      }[];
      return list.find((c) => c.name === wanted)?.id as string;
    }, name);

  it('prints a private challenge’s poster with its target, the litres saved so far and a QR code to the sign-up page, at both widths', async () => {
    for (const width of [1280, 390]) {
      const page = await tools.signIn('champion', 0, width);
      const id = await challengeId(page, 'Street League');
      await page.goto(`${ontap.url}/poster.html?challenge=${id}`);
      await expect.poll(() => page.locator('svg.qr path').count(), { timeout: 20_000 }).toBe(1);
      // The QR code leads a passer-by to the sign-up page (codes are personal: none on a poster).
      expect(await page.locator('svg.qr path').getAttribute('d')).toBe(qrPath(qrDrawing(`${ontap.url}/signup.html`)));
      expect(await page.locator('#qr-says').textContent()).toBe('Scan to join with your invitation code');

      const board = (await page.evaluate(async (url) => (await fetch(url)).json(), `/api/challenges/${id}/leaderboard`)) as {
        target: { saving: number; reached: number | null } | null;
        entries: { saved: number | null }[];
      };
      const figures = page.locator('.figure');
      await expect.poll(() => figures.first().textContent(), { timeout: 10_000 }).toContain('Our target, all together');
      expect(await figures.first().locator('.value').textContent()).toBe('10.0% less');
      const shown = board.entries.flatMap((entry) => (entry.saved === null ? [] : [entry.saved]));
      if (shown.length === 0) expect(await figures.count()).toBe(1);
      else {
        const saved = figures.nth(1);
        expect(await saved.locator('.label').textContent()).toBe('Saved so far');
        const litres = Number(((await saved.locator('.value').textContent()) ?? '').replace(/[^\d]/g, ''));
        expect(litres).toBe(Math.round(shown.reduce((sum, one) => sum + one, 0)));
      }
      await tools.lookAt(page, 'poster-private');
    }
  });

  it('points a public challenge’s poster QR code at its public board, which says how to join', async () => {
    const page = await tools.signIn('champion', 0, 1280);
    const id = await challengeId(page, 'Friends On Tap');
    await page.goto(`${ontap.url}/poster.html?challenge=${id}`);
    await expect.poll(() => page.locator('ol li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const link = `${ontap.url}/board.html?challenge=${id}`;
    expect(await page.locator('svg.qr path').getAttribute('d')).toBe(qrPath(qrDrawing(link)));
    expect(await page.locator('#qr-says').textContent()).toBe('Scan to see the leaderboard and how to join');
    await tools.lookAt(page, 'poster-public');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ format: 'A4', path: join(screenshots, 'poster-qr.pdf') });

    const passerBy = await tools.newPage({ viewport: { width: 390, height: 900 } });
    await passerBy.goto(link);
    const joinLink = passerBy.getByRole('link', { name: 'join with your code' });
    await expect.poll(() => joinLink.count(), { timeout: 20_000 }).toBe(1);
    await tools.lookAt(passerBy, 'public-board-join');
    await joinLink.click();
    await passerBy.waitForURL(/signup\.html$/);
    expect(
      await passerBy.getByText('No code yet? Your street champion gives each home its own code', { exact: false }).count(),
    ).toBe(1);
  });

  it('downloads a champion’s invitation letters as a PDF: a cover page and one letter a home', async () => {
    for (const width of [390, 1280]) {
      const page = await tools.signIn('champion', 0, width);
      const form = page.locator('ontap-invitation-pack-form');
      await expect.poll(() => form.getByLabel('Street').locator('option').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const street = (await form.getByLabel('Street').locator('option').first().textContent())?.replace(/ \(\d+ homes?\)$/, '');
      await form.getByLabel('How many letters').fill('3');
      const challenge = form.getByLabel('Challenge to invite them to');
      const streetLeague = await challenge
        .locator('option')
        .evaluateAll(
          (options) => (options as HTMLOptionElement[]).find((option) => option.textContent?.startsWith('Street League'))?.value,
        );
      await challenge.selectOption(streetLeague ?? 'none');
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 20_000 }),
        form.getByRole('button', { name: 'Make the letters (PDF)' }).click(),
      ]);
      const path = join(screenshots, `invitations-${width}.pdf`);
      await download.saveAs(path);
      const pdf = readFileSync(path);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdfPageCount(pdf)).toBe(4);
      expect(download.suggestedFilename()).toMatch(/^invitations-.+\.pdf$/);
      expect(await form.getByRole('status').textContent()).toContain(`3 letters for ${street} are downloading.`);
      await tools.lookAt(page, 'champion-letters');
      await form.screenshot({ path: join(screenshots, `champion-letters-form-${width}.png`) });

      // Asking for none is said beside the field, in words.
      await form.getByLabel('How many letters').fill('0');
      await form.getByRole('button', { name: 'Make the letters (PDF)' }).click();
      await expect
        .poll(() => form.locator('#field-letters-problem').textContent(), { timeout: 10_000 })
        .toBe('The smallest allowed is 1.');
    }
  });

  it('lets the operator rename a neighbourhood, move its time zone, and archive it after a confirming step', async () => {
    const admin = await tools.signIn('admin', 0, 1280);
    await admin.getByLabel('Name', { exact: true }).first().fill('Paper Lane Estate');
    await admin.getByRole('button', { name: 'Set up the neighbourhood' }).click();
    const settings = admin.locator('ontap-neighbourhood-settings');
    await expect.poll(() => settings.getByLabel('Name').inputValue(), { timeout: 10_000 }).toBe('Paper Lane Estate');

    await settings.getByLabel('Name').fill('Paper Lane');
    await settings.getByLabel('Time zone').selectOption('Europe/Dublin');
    await settings.getByRole('button', { name: 'Save name and time zone' }).click();
    await expect
      .poll(() => admin.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toContain('Paper Lane is saved.');
    await expect
      .poll(() => admin.locator('ontap-data-table').first().getByText('Europe/Dublin').count(), { timeout: 10_000 })
      .toBe(1);
    // The form shows the neighbourhood as saved.
    expect(await settings.getByLabel('Time zone').inputValue()).toBe('Europe/Dublin');
    expect(await settings.getByLabel('Name').inputValue()).toBe('Paper Lane');

    // The demo neighbourhood runs challenges: archiving it is refused, in words.
    const demo = await admin
      .locator('select#field-neighbourhood option')
      .evaluateAll(
        (options) => (options as HTMLOptionElement[]).find((option) => option.textContent !== 'Paper Lane')?.value as string,
      );
    await admin.locator('select#field-neighbourhood').selectOption(demo);
    await settings.getByText('Archive this neighbourhood').click();
    await settings.getByRole('button', { name: /^Archive .*…$/ }).click();
    await settings.getByRole('button', { name: /^Yes, archive / }).click();
    await expect
      .poll(() => settings.getByRole('alert').textContent(), { timeout: 10_000 })
      .toBe('A challenge here is still to come or running. End or cancel it first.');

    await admin.locator('select#field-neighbourhood').selectOption({ label: 'Paper Lane' });
    await settings.getByRole('button', { name: 'Archive Paper Lane…' }).click();
    expect(await settings.getByText('Archive Paper Lane? This cannot be undone from this page.').count()).toBe(1);
    await tools.lookAt(admin, 'admin-archive-confirm');
    await settings.getByRole('button', { name: 'Yes, archive Paper Lane' }).click();
    await expect
      .poll(() => admin.locator('ontap-toasts .toast').first().textContent(), { timeout: 10_000 })
      .toContain('Paper Lane is archived.');
    await expect
      .poll(() => admin.locator('ontap-data-table').first().getByText('Paper Lane').count(), { timeout: 10_000 })
      .toBe(0);

    const phone = await tools.signIn('admin', 0, 390);
    await expect
      .poll(() => phone.locator('ontap-neighbourhood-settings').getByLabel('Time zone').count(), { timeout: 10_000 })
      .toBe(1);
    await tools.lookAt(phone, 'admin-neighbourhood-settings');
  });
});
