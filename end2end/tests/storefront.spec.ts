import { expect, test } from '@playwright/test';

import { cutOff, ready } from './helpers';

test('a buyer searches, filters by certification, opens a product and sees its certificate', async ({ page }, info) => {
  await page.goto('/');
  await ready(page, info);
  await page.getByLabel('Search the catalog').fill('mapping');
  await page.getByLabel('Search the catalog').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=mapping/);
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “mapping”');
  const unfiltered = await page.locator('.shop__count').textContent();

  await page.locator('.facet', { hasText: 'Certification' }).getByRole('link', { name: /Premium/ }).click();
  await expect(page).toHaveURL(/cert=premium/);
  await ready(page, info);
  await expect(page.locator('.shop__count')).not.toHaveText(unfiltered ?? '');
  const cards = page.locator('.product-card');
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) {
    await expect(card.locator('.cert-badge')).toHaveText('Premium certified');
  }

  const name = (await cards.first().locator('.product-card__name').textContent()) ?? '';
  await cards.first().locator('.product-card__link').click();
  await expect(page).toHaveURL(/\/p\//);
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  const certificate = page.locator('#certification');
  await expect(certificate.locator('.cert-badge')).toHaveText('Premium certified');
  await expect(certificate.getByRole('heading', { name: 'Test results' })).toBeVisible();
  await expect(certificate.getByText('Expired')).toHaveCount(0);

  // Back returns to the filtered listing the link came from.
  await page.goBack();
  await expect(page).toHaveURL(/q=mapping.*cert=premium|cert=premium.*q=mapping/);
  await expect(page.locator('.product-card').first()).toBeVisible();
});

test('a Chinese query finds products described in Chinese words', async ({ browser }, info) => {
  const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: info.project.use.javaScriptEnabled });
  const page = await context.newPage();
  await page.goto('/search?q=' + encodeURIComponent('航拍无人机'));
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('“航拍无人机”的搜索结果');
  await expect(page.locator('.product-card').first()).toBeVisible();
  await expect(page.locator('.product-card mark').first()).toBeVisible();
  await context.close();
});

test('a mistyped query says what it searched for instead', async ({ page }, info) => {
  await page.goto('/search?q=kestral');
  await ready(page, info);
  await expect(page.getByText('Nothing matched “kestral”, so these are results for “kestrel”.')).toBeVisible();
  await expect(page.locator('.product-card').first()).toBeVisible();
});

test('suggestions appear while typing and lead to the product', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'suggestions need JavaScript; the search form works without it');
  await page.goto('/');
  await ready(page, info);
  await page.getByLabel('Search the catalog').pressSequentially('kestr', { delay: 40 });
  const suggestion = page.locator('#search-suggestions a').first();
  await expect(suggestion).toBeVisible();
  const label = (await suggestion.locator('.suggestions__label').textContent()) ?? '';
  await suggestion.click();
  await expect(page).toHaveURL(/\/(p|c|creators)\//);
  await expect(page.getByRole('heading', { level: 1 }).first()).toContainText(label.split(' ')[0]);
});

test('storefront pages fit a phone screen without sideways scrolling', async ({ page }, info) => {
  // The narrowest phones in use are 320 CSS pixels wide.
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/search?q=mapping');
  await ready(page, info);
  const products = await page.locator('.product-card__link').evaluateAll((links) =>
    links.slice(0, 3).map((a) => a.getAttribute('href') ?? '/'),
  );
  for (const path of ['/', '/search?q=mapping', ...products]) {
    await page.goto(path);
    await ready(page, info);
    expect(await cutOff(page), `${path} is wider than the screen`).toEqual([]);
  }
});

test('on a phone the product page shows name, price and "Add to cart" without scrolling', async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/search?q=mapping');
  const product = await page.locator('.product-card__link').first().getAttribute('href');
  await page.goto(product!);
  await ready(page, info);
  const fold = 844;
  for (const [what, locator] of [
    ['name', page.getByRole('heading', { level: 1 })],
    ['price', page.locator('.product-page__price')],
    ['Add to cart', page.locator('.product-page__buy').getByRole('button', { name: 'Add to cart' })],
  ] as const) {
    const box = await locator.boundingBox();
    expect(box, `${what} is shown`).toBeTruthy();
    expect(box!.y + box!.height, `${what} ends above the fold`).toBeLessThanOrEqual(fold);
  }
  // The header is two rows: brand, cart and menu; then search.
  const header = await page.locator('.site-header').boundingBox();
  expect(header!.height).toBeLessThanOrEqual(120);
  await expect(page.getByLabel('Search the catalog')).toBeVisible();
  await expect(page.locator('.cart-link')).toBeVisible();

  // The rest of the header opens from the menu button, with or without JavaScript.
  await expect(page.getByRole('link', { name: 'Log in' })).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('link', { name: 'Log in' })).toBeHidden();
});
