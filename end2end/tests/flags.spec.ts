import { expect, test, type Page } from '@playwright/test';

import { ready, signedIn } from './helpers';

const PHONE = { width: 390, height: 844 };

/** Whether the header is one row: the search box beside the logo, not below it. */
async function oneRow(page: Page): Promise<boolean> {
  const brand = await page.locator('.site-header .brand').boundingBox();
  const search = await page.locator('.site-header .search-box').boundingBox();
  return Math.abs(brand!.y + brand!.height / 2 - (search!.y + search!.height / 2)) < 12;
}

/** Sets the compact header flag in the console: on for admins only, or off. */
async function setCompactHeader(admin: Page, on: boolean) {
  await admin.goto('/admin/flags');
  const flag = admin.locator('section.flag', { hasText: 'storefront.compact_phone_header' });
  await flag.getByLabel('On', { exact: true }).setChecked(on);
  await flag.getByLabel('Admin', { exact: true }).setChecked(on);
  await flag.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByRole('main').getByRole('status')).toContainText('Saved.');
  await expect(flag.locator('.badge')).toHaveText(on ? 'On for Admin' : 'Off');
}

test('an admin rolls the compact phone header out to admins: they get one header row, shoppers keep two', async ({ browser }, info) => {
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await setCompactHeader(admin, true);
  try {
    await admin.setViewportSize(PHONE);
    await admin.goto('/');
    await ready(admin, info);
    expect(await oneRow(admin)).toBe(true);
    // The name and the menu's label are hidden from sight, not from screen readers.
    await expect(admin.getByRole('link', { name: 'OpenAero' }).first()).toBeVisible();
    await expect(admin.getByRole('button', { name: 'Menu' })).toBeVisible();

    const shopper = await browser.newPage({ viewport: PHONE, javaScriptEnabled: info.project.use.javaScriptEnabled });
    await shopper.goto('/');
    await ready(shopper, info);
    expect(await oneRow(shopper)).toBe(false);
    await shopper.close();
  } finally {
    await admin.setViewportSize({ width: 1280, height: 800 });
    await setCompactHeader(admin, false);
  }
});
