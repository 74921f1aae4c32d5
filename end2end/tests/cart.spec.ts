import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, logIn, ready } from './helpers';

test('an anonymous cart fills from a product page and joins the account at login', async ({ page }, info) => {
  // Each project logs in as its own demo account, so the two runs never share a cart.
  const email = info.project.name === 'js' ? 'customer@openaero.test' : 'admin@openaero.test';
  await page.goto('/search?in_stock=1');
  await ready(page, info);
  const card = page.locator('.product-grid a[href^="/p/"]').first();
  const href = (await card.getAttribute('href'))!;
  await page.goto(href);
  await ready(page, info);
  const name = (await page.locator('h1.product-page__name').textContent())!.trim();

  // The product's own form (related products below have one-click buttons too).
  const buy = page.locator('form.add-to-cart');
  await buy.getByLabel('Quantity').fill('2');
  await buy.getByRole('button', { name: 'Add to cart' }).click();
  if (info.project.name === 'js') {
    await expect(page.getByText('In your cart: 2.')).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'Cart, 2 items' })).toBeVisible();

  await page.getByRole('link', { name: 'Cart, 2 items' }).click();
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  await expect(page.getByText(/Sold and shipped by/)).toBeVisible();

  await logIn(page, info, email, DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Log out' }).or(page.getByRole('button', { name: 'Log out' }))).toBeVisible();
  await page.goto('/cart');
  await ready(page, info);
  const line = page.locator('.cart-line', { has: page.getByRole('link', { name, exact: true }) });
  await expect(line).toBeVisible();
  const quantity = Number(await line.getByLabel('Quantity').inputValue());
  expect(quantity).toBeGreaterThanOrEqual(2);

  // Change it, then take it out again: the account's cart is left as it was.
  await line.getByLabel('Quantity').fill('1');
  await line.getByRole('button', { name: 'Update' }).click();
  await expect(line.getByLabel('Quantity')).toHaveValue('1');
  // The page comes back with the focus on the line the keyboard was on.
  await expect(line.getByLabel('Quantity')).toBeFocused();
  await line.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('link', { name, exact: true })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeFocused();
});

test('a listing adds a product to the cart with one click', async ({ page }, info) => {
  await page.goto('/search?in_stock=1');
  await ready(page, info);
  const card = page.locator('.product-card', { has: page.locator('.product-card__add') }).first();
  await card.getByRole('button', { name: 'Add to cart' }).click();
  if (info.project.name === 'js') {
    await expect(card.getByRole('button', { name: 'In your cart ✓' })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
});
