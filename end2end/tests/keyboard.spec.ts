import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { DEMO_PASSWORD, logIn, ready } from './helpers';

// The checkout tests' accounts: their carts are emptied by the orders placed there.
function account(info: TestInfo): string {
  return info.project.name === 'js' ? 'reviewer@openaero.test' : 'creator@openaero.test';
}

/** Presses `key` (Tab, or Shift+Tab to go back) until `target` has the focus. */
async function tabTo(page: Page, target: Locator, key = 'Tab', limit = 300) {
  const element = await target.elementHandle();
  for (let i = 0; i < limit; i++) {
    if (await element!.evaluate((e) => e === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} pressed ${limit} times never reached ${target}`);
}

/** Tabs to a field and types into it, replacing what it held. */
async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

test('a purchase works with the keyboard alone: search, product, cart, checkout', async ({ page }, info) => {
  await logIn(page, info, account(info), DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Orders' })).toBeVisible();
  await page.goto('/');
  await ready(page, info);

  // The first Tab reaches the skip link, which takes the focus into the page's content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  await tabTo(page, page.getByRole('combobox', { name: 'Search the catalog' }), 'Shift+Tab');
  await page.keyboard.type('mapping');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=mapping/);
  await ready(page, info);

  const card = page.locator('.product-card', { has: page.locator('.product-card__add') }).first();
  await tabTo(page, card.locator('.product-card__link'));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/p\//);
  await ready(page, info);

  const add = page.locator('form.add-to-cart').getByRole('button', { name: 'Add to cart' });
  await tabTo(page, add);
  await page.keyboard.press('Enter');
  const cart = page.getByRole('link', { name: /^Cart, [1-9]\d* items?$/ });
  await expect(cart).toBeVisible();
  if (info.project.name === 'js') {
    // The page stays, and so does the focus: on the button that was pressed.
    await expect(page.getByText(/^In your cart: \d+\.$/)).toBeVisible();
    await expect(add).toBeFocused();
  }

  await tabTo(page, cart, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await ready(page, info);
  await tabTo(page, page.getByRole('link', { name: 'Check out' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await ready(page, info);

  // A radio group is one Tab stop; the arrow keys choose within it.
  const other = page.getByRole('radio', { name: 'A new address' });
  if (await other.count()) {
    await tabTo(page, page.getByRole('radio', { checked: true }).first());
    for (let i = 0; i < 10 && !(await other.isChecked()); i++) {
      await page.keyboard.press('ArrowDown');
    }
    await expect(other).toBeChecked();
  }
  await typeInto(page, page.getByLabel('Full name'), 'Robin Reviewer');
  await typeInto(page, page.getByLabel('Street and number'), 'Hafenstraße 12');
  await typeInto(page, page.getByLabel('City'), 'Hamburg');
  await typeInto(page, page.getByLabel('Postal code'), '20457');
  await tabTo(page, page.getByLabel('Country'));
  await page.keyboard.type('Germany');
  await expect(page.getByLabel('Country')).toHaveValue('DE');
  await typeInto(page, page.getByLabel('Card number'), '4242 4242 4242 4242');
  await typeInto(page, page.getByLabel('Expiry (MM/YY)'), '12/39');
  await typeInto(page, page.getByLabel('Security code (CVC)'), '123');
  await tabTo(page, page.getByRole('button', { name: 'Place order' }));
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/orders\/[^/]+$/);
  // The confirmation takes the focus, so a screen reader reads it first.
  await expect(page.getByText('Thank you — your order is placed.')).toBeFocused();
});
