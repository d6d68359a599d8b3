/**
 * The web chat in a real browser: Debian's Chromium driven by playwright-core. Two pages, two
 * people: alice asks and requests the restart, cannot approve her own request, bob approves in
 * his own window, and both windows show the result live. The final state is saved as a
 * screenshot in test/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, missingPrerequisite } from '../support/prerequisites.ts';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';
import { FALLBACK_LOCALE, SUPPORTED_LOCALES } from '../../src/core/index.ts';
import { localisedSampleCards } from '../engine/sample-cards.ts';
import { createMemoryStore } from '../../src/store/index.ts';

const CHROMIUM = chromiumPath();
const artifacts = join(import.meta.dirname, '../artifacts');

if (!CHROMIUM) {
  describe('web chat in Chromium', () => {
    missingPrerequisite('no Chromium at /usr/bin/chromium (apt-get install -y chromium)');
  });
} else {
  describe('web chat in Chromium', () => {
    let browser: Browser;
    let server: WebServer;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await browser?.close();
    });

    async function open(persona: string, locale = 'en-US'): Promise<Page> {
      const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.selectOption('#persona', persona);
      return page;
    }

    async function click(page: Page, card: string, label: string): Promise<void> {
      await page.locator(card).last().getByRole('button', { name: label, exact: true }).click();
      // State-changing steps ask "are you sure?" in a dialog first.
      const asked = await page
        .locator('dialog#confirm[open]')
        .waitFor({ timeout: 1_000 })
        .then(
          () => true,
          () => false,
        );
      if (asked) await page.locator('#confirm-yes').click();
    }

    it('alice asks and requests, is not offered her own approval, carol (a viewer) is offered no change, bob approves, all see it resolved', async () => {
      server = await startWebChat('imap-backend-hang');
      const alice = await open('alice');
      const bob = await open('bob');
      const carol = await open('carol');

      await alice.getByRole('textbox', { name: /Ask Healthbot/ }).fill("what's wrong with IMAP on server1?");
      await alice.keyboard.press('Enter');
      const diagnosis = alice.locator('.card.kind-diagnosis');
      await expect.poll(() => diagnosis.first().textContent()).toMatch(/IMAP on SERVER1: problem confirmed/);
      expect(await diagnosis.first().textContent()).toMatch(/ImapCTPMonitor.*IMAP\\ImapCTPProbe on SERVER1 → Failed/s);

      // The viewer sees the diagnosis with its read-only buttons, and no step that changes a server.
      const buttons = (page: Page, card: string) => page.locator(card).last().getByRole('button').allTextContents();
      await expect.poll(() => carol.locator('.card.kind-diagnosis').count()).toBe(1);
      expect(await buttons(carol, '.card.kind-diagnosis')).toContain('Rerun probe');
      expect(await buttons(carol, '.card.kind-diagnosis')).not.toContain('Restart MSExchangeIMAP4BE on MBX1');
      expect(await buttons(bob, '.card.kind-diagnosis')).not.toContain('Restart MSExchangeIMAP4BE on MBX1');

      await click(alice, '.card.kind-diagnosis', 'Restart MSExchangeIMAP4BE on MBX1');
      for (const page of [alice, bob, carol])
        await expect.poll(() => page.locator('.card.kind-approval').count()).toBe(1);
      // Alice may only withdraw her own request; bob may decide it; carol may do nothing with it.
      expect(await buttons(alice, '.card.kind-approval')).toEqual(['Withdraw']);
      expect(await buttons(bob, '.card.kind-approval')).toEqual(['Approve', 'Reject']);
      expect(await buttons(carol, '.card.kind-approval')).toEqual([]);
      expect(await carol.locator('dialog#confirm[open]').count()).toBe(0);

      expect(await bob.locator('.msg.private').count()).toBe(0);
      await click(bob, '.card.kind-approval', 'Approve');

      for (const page of [alice, bob, carol]) {
        await expect
          .poll(() => page.locator('.card.kind-diagnosis').first().textContent(), { timeout: 10_000 })
          .toMatch(/resolved/);
        expect(await page.locator('.card.kind-diagnosis').first().textContent()).toMatch(
          /Approved by Bob.*probe passes again/s,
        );
      }
      mkdirSync(artifacts, { recursive: true });
      await alice.screenshot({ path: join(artifacts, 'web-chat-resolved.png'), fullPage: true });
      expect(server.harness.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    }, 60_000);

    it('follows the browser language, switches on request, and works from the keyboard on a narrow screen', async () => {
      await server?.close();
      server = await startWebChat('imap-transient');
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 380, height: 800 } });
      const page = await context.newPage();
      await page.goto(server.url);
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      expect(await page.locator('#composer button').textContent()).toBe('Senden');
      await page.keyboard.type('was ist mit IMAP auf server1 los?');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('.card.kind-diagnosis').first().textContent())
        .toMatch(/Warnung hat sich erholt|erholt/);
      // A string, so the test's TypeScript needs no DOM types: nothing may scroll sideways.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.selectOption('#lang', 'en');
      expect(await page.locator('#composer button').textContent()).toBe('Send');
    }, 60_000);

    it('shows what Managed Availability already did above the ladder, and the step it already took still clickable', async () => {
      await server?.close();
      server = await startWebChat('ma-already-restarted');
      const alice = await open('alice');
      await alice.getByRole('textbox', { name: /Ask Healthbot/ }).fill("what's wrong with IMAP on server1?");
      await alice.keyboard.press('Enter');
      const card = alice.locator('.card.kind-diagnosis').first();
      await expect.poll(() => card.textContent()).toMatch(/IMAP on SERVER1: problem confirmed/);
      const terms = await card.locator('.facts dt').allTextContents();
      const values = await card.locator('.facts dd').allTextContents();
      const ma = terms.indexOf('Managed Availability');
      expect(values[ma]).toMatch(
        /^restarted MSExchangeIMAP4BE 3× since \d\d:\d\d, last succeeded \d\d:\d\d, now throttled$/,
      );
      // Above the ladder: before the next step in the card, and above its buttons on the page.
      expect(ma).toBeLessThan(terms.findIndex((t) => t.startsWith('Next step')));
      const maBox = await card.locator('.facts dd').nth(ma).boundingBox();
      const stepButton = card.getByRole('button', { name: 'Restart MSExchangeIMAP4BE on SERVER1', exact: true });
      expect(maBox!.y).toBeLessThan((await stepButton.boundingBox())!.y);
      expect(await card.textContent()).toMatch(/Managed Availability already did this 3×/);
      expect(await card.locator('pre').allTextContents()).toContain(
        "Invoke-Command -ComputerName 'SERVER1' -ScriptBlock { Stop-Service -Name 'MSExchangeIMAP4BE' -Force; Start-Service -Name 'MSExchangeIMAP4BE' }",
      );
      // Still clickable: it asks for an approval like any state-changing step.
      await click(alice, '.card.kind-diagnosis', 'Restart MSExchangeIMAP4BE on SERVER1');
      await expect.poll(() => alice.locator('.card.kind-approval').count()).toBe(1);
      mkdirSync(artifacts, { recursive: true });
      await alice.screenshot({ path: join(artifacts, 'web-chat-ma-already-restarted.png'), fullPage: true });
    }, 60_000);

    it('keeps the persona per window, refuses an over-long message in words and keeps the draft, and has a favicon', async () => {
      await server?.close();
      server = await startWebChat('healthy');
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
      const first = await context.newPage();
      await first.goto(server.url);
      await first.selectOption('#persona', 'bob');
      // Another window of the same browser is its own person: it starts at the first persona.
      const second = await context.newPage();
      await second.goto(server.url);
      expect(await second.locator('#persona').inputValue()).toBe('alice');
      // The window itself remembers its choice across a reload.
      await first.reload();
      expect(await first.locator('#persona').inputValue()).toBe('bob');

      const box = second.getByRole('textbox', { name: /Ask Healthbot/ });
      const long = `help ${'x'.repeat(4_000)}`;
      await box.fill(long);
      await second.keyboard.press('Enter');
      await expect
        .poll(() => second.locator('#status').textContent())
        .toMatch(/too long: the limit is 4000 characters/);
      expect(await box.inputValue()).toBe(long);
      expect(await second.locator('.msg').count()).toBe(0);
      expect(await second.locator('link[rel=icon]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    }, 60_000);

    it('brings new messages into view while the person follows along, and marks them when they have scrolled up', async () => {
      await server?.close();
      server = await startWebChat('healthy');
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 900, height: 600 } });
      const page = await context.newPage();
      await page.goto(server.url);
      const ask = (n: number) =>
        fetch(`${server.url}/chat/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ persona: 'bob', text: 'help', clientId: `scroll-${n}` }),
        });
      const count = async () => Number((await page.locator('body').getAttribute('data-messages')) ?? 0);
      const newestVisible = () =>
        page.evaluate<boolean>(
          "(() => { const all = document.querySelectorAll('.msg'); const r = all[all.length - 1].getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; })()",
        );
      for (let i = 0; i < 4; i++) {
        await ask(i);
        await expect.poll(count).toBe(2 * (i + 1)); // the question and its help card
      }
      expect(await newestVisible()).toBe(true);
      expect(await page.locator('#new-marker').isHidden()).toBe(true);

      await page.evaluate('window.scrollTo(0, 0)');
      await ask(9);
      await expect.poll(count).toBe(10);
      await expect.poll(() => page.locator('#new-marker').isVisible()).toBe(true);
      expect(await newestVisible()).toBe(false);
      await page.locator('#new-marker').click();
      await expect.poll(newestVisible).toBe(true);
      expect(await page.locator('#new-marker').isHidden()).toBe(true);
    }, 60_000);

    it('resets the lab from the header: the picked scenario starts over, every window is told, and the lab is unhealthy again', async () => {
      await server?.close();
      server = await startWebChat('imap-backend-hang', { lab: true });
      const alice = await open('alice');
      const carol = await open('carol');
      const ask = async () => {
        const before = await alice.locator('.card.kind-diagnosis').count();
        await alice.getByRole('textbox', { name: /Ask Healthbot/ }).fill("what's wrong with IMAP on server1?");
        await alice.keyboard.press('Enter');
        await expect.poll(() => alice.locator('.card.kind-diagnosis').count()).toBe(before + 1);
        const card = alice.locator('.card.kind-diagnosis').last();
        await expect.poll(() => card.textContent()).not.toMatch(/checking/i);
        return card.locator('header h3').textContent();
      };
      // The demo was done once: the back end is mended, and the same question finds nothing wrong.
      await server.harness.lab.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
      expect(await ask()).not.toMatch(/problem confirmed/);

      expect(await alice.locator('#scenario-pick').inputValue()).toBe('imap-backend-hang');
      await carol.selectOption('#scenario-pick', 'imap-backend-hang');
      await carol.locator('#lab-reset').click();
      for (const page of [alice, carol])
        await expect
          .poll(() => page.locator('.lab-reset').last().textContent())
          .toBe('Carol reset the lab to the start of imap-backend-hang: its faults are back.');
      expect(await ask()).toMatch(/IMAP on SERVER1: problem confirmed/);
      expect(
        (await server.harness.store.readAudit())
          .filter((r) => r.data.command === 'lab-reset')
          .map((r) => r.actor?.userId),
      ).toEqual(['carol']);
    }, 60_000);

    it('shows the open incident and the pending approval again after a restart, and the approval works from there', async () => {
      await server?.close();
      const store = createMemoryStore();
      server = await startWebChat('imap-backend-hang', { store });
      const alice = await open('alice');
      await alice.getByRole('textbox', { name: /Ask Healthbot/ }).fill("what's wrong with IMAP on server1?");
      await alice.keyboard.press('Enter');
      await expect.poll(() => alice.locator('.card.kind-diagnosis').first().textContent()).toMatch(/problem confirmed/);
      await click(alice, '.card.kind-diagnosis', 'Restart MSExchangeIMAP4BE on MBX1');
      await expect.poll(() => alice.locator('.card.kind-approval').count()).toBe(1);
      await alice.context().close();
      // The bot stops; a new one starts on the same store, and the page is loaded again.
      await server.close();
      server = await startWebChat('imap-backend-hang', { store });
      const bob = await open('bob');
      await expect.poll(() => bob.locator('.card').count()).toBe(2);
      expect(await bob.locator('.thread .msg .text').first().textContent()).toBe("what's wrong with IMAP on server1?");
      expect(await bob.locator('.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-kind')))).toEqual([
        'diagnosis',
        'approval',
      ]);
      await click(bob, '.card.kind-approval', 'Approve');
      await expect
        .poll(() => bob.locator('.card.kind-diagnosis').first().textContent(), { timeout: 10_000 })
        .toMatch(/resolved/);
      expect(server.harness.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    }, 60_000);

    // Every language in the list, so a new one is tried in a real browser the day it is added.
    it('speaks every supported language in the browser: page texts, and the cards the engine writes in it', async () => {
      await server?.close();
      server = await startWebChat('imap-backend-hang');
      const english = (await localisedSampleCards(FALLBACK_LOCALE)).diagnosis!.title;
      for (const lng of SUPPORTED_LOCALES) {
        const expected = await localisedSampleCards(lng);
        // A language whose cards come out in English would pass the comparison below on its own.
        if (lng !== FALLBACK_LOCALE) expect(expected.diagnosis!.title, lng).not.toBe(english);
        const context = await browser.newContext({ locale: lng, viewport: { width: 1100, height: 900 } });
        const page = await context.newPage();
        await page.goto(server.url);
        expect(await page.locator('html').getAttribute('lang')).toBe(lng);
        expect(await page.locator('#lang').inputValue()).toBe(lng);
        await page.keyboard.type('IMAP server1');
        await page.keyboard.press('Enter');
        await expect
          .poll(() => page.locator('.card.kind-diagnosis').last().locator('header h3').first().textContent())
          .toContain(expected.diagnosis!.title);
        await context.close();
      }
    }, 90_000);
  });
}
