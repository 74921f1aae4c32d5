import { expect, type Browser, type Page, type TestInfo } from '@playwright/test';

export const DEMO_PASSWORD = 'Kestrel-demo-2026';

/** A fresh address per test run and project, so runs never collide. */
export function uniqueEmail(prefix: string, info: TestInfo): string {
  return `${prefix}-${info.project.name}-${Date.now()}@example.com`;
}

/** With JavaScript on, wait until the page is hydrated so clicks go through Leptos. */
export async function ready(page: Page, info: TestInfo) {
  await page.waitForLoadState('load');
  if (info.project.name === 'js') {
    await page.locator('body[data-hydrated="true"]').waitFor();
  }
}

export async function logIn(page: Page, info: TestInfo, email: string, password: string) {
  await page.goto('/login');
  await ready(page, info);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Opens the development mailbox as the demo admin and returns the newest link to
 *  `path` in a mail to `to`, waiting for the mail to arrive. */
export async function linkFromMailbox(browser: Browser, info: TestInfo, to: string, path: string): Promise<string> {
  const context = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled });
  const admin = await context.newPage();
  await logIn(admin, info, 'admin@openaero.test', DEMO_PASSWORD);
  await expect(admin.getByRole('link', { name: 'Admin console' })).toBeVisible();
  let href: string | null = null;
  await expect(async () => {
    await admin.goto('/admin/mailbox');
    const mail = admin.locator('article.mail-item', { hasText: to }).first();
    href = await mail.locator(`a[href*="${path}?token="]`).first().getAttribute('href', { timeout: 1000 });
    expect(href).toBeTruthy();
  }).toPass({ timeout: 20_000 });
  await context.close();
  return new URL(href!).pathname + new URL(href!).search;
}

/** What in the page's main content reaches past the right edge, unless a scrolling
 *  box of its own holds it (the page clips sideways overflow, so the page itself never
 *  scrolls: it is cut). At most five, as `tag.class`. */
export async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const edge = document.documentElement.clientWidth + 1;
    const held = (e: Element) => {
      for (let box = e.parentElement; box; box = box.parentElement) {
        const x = getComputedStyle(box).overflowX;
        if ((x === 'auto' || x === 'scroll') && box.getBoundingClientRect().right <= edge) return true;
      }
      return false;
    };
    return [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > edge && !held(e))
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
      .slice(0, 5);
  });
}

/** A new browser context signed in as `email` (a demo account). */
export async function signedIn(browser: Browser, info: TestInfo, email: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled });
  const page = await context.newPage();
  await logIn(page, info, email, DEMO_PASSWORD);
  await expect(page.locator('.user-menu__name')).toHaveCount(1);
  return page;
}

/** Types a new address (choosing "A new address" when saved ones are offered) and a card. */
export async function fillCheckout(page: Page, card: string) {
  const other = page.getByRole('radio', { name: 'A new address' });
  if (await other.count()) {
    await other.check();
  }
  await page.getByLabel('Full name').fill('Robin Reviewer');
  await page.getByLabel('Street and number').fill('Hafenstraße 12');
  await page.getByLabel('City').fill('Hamburg');
  await page.getByLabel('Postal code').fill('20457');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM/YY)').fill('12/39');
  await page.getByLabel('Security code (CVC)').fill('123');
}
