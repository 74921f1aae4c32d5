import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { DEMO_PASSWORD, cutOff, fillCheckout, logIn, ready } from './helpers';

// Each project checks out as its own demo account (the cart tests use two others),
// so no two runs share a cart.
function account(info: TestInfo): string {
  return info.project.name === 'js' ? 'reviewer@openaero.test' : 'creator@openaero.test';
}

/** Puts one in-stock product in the cart and opens checkout from the cart page. */
async function toCheckout(page: Page, info: TestInfo) {
  await page.goto('/search?in_stock=1');
  await ready(page, info);
  const card = page.locator('.product-card', { has: page.locator('.product-card__add') }).first();
  await card.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).not.toHaveAccessibleName('Cart, 0 items');
  await page.goto('/cart');
  await ready(page, info);
  await page.getByRole('link', { name: 'Check out' }).click();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await ready(page, info);
}

test('a declined card leaves the cart as it was; another card places the order', async ({ page }, info) => {
  await logIn(page, info, account(info), DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Orders' })).toBeVisible();
  await toCheckout(page, info);

  await fillCheckout(page, '4000 0000 0000 0002');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('alert')).toContainText('Your card was declined');
  await expect(page).toHaveURL(/\/checkout/);

  await ready(page, info);
  await fillCheckout(page, '4242 4242 4242 4242');
  // The narrowest phones in use are 320 CSS pixels wide.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await cutOff(page), 'checkout is wider than the screen').toEqual([]);
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[^/]+$/);
  await expect(page.getByText('Thank you — your order is placed.')).toBeVisible();
  expect(await cutOff(page), 'the order is wider than the screen').toEqual([]);
  await expect(page.getByText('Visa •••• 4242')).toBeVisible();
  await expect(page.getByText('Hafenstraße 12').first()).toBeVisible();
  await expect(page.locator('.sub-order .badge', { hasText: 'Paid' }).first()).toBeVisible();
  const number = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

  await page.getByRole('link', { name: 'All orders' }).click();
  await expect(page.getByRole('heading', { name: 'Your orders' })).toBeVisible();
  await expect(page.getByRole('link', { name: number, exact: true })).toBeVisible();
  expect(await cutOff(page), 'the order list is wider than the screen').toEqual([]);
});

test('a card the network confirms later shows the order as awaiting payment until it does', async ({ page }, info) => {
  await logIn(page, info, account(info), DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Orders' })).toBeVisible();
  await toCheckout(page, info);
  await fillCheckout(page, '4000 0000 0000 3220');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[^/]+$/);
  if (info.project.name === 'js') {
    // The page reads the order again by itself.
    await expect(page.getByText('Thank you — your order is placed.')).toBeVisible({ timeout: 30_000 });
  } else {
    await expect(async () => {
      const reload = page.getByRole('link', { name: 'Reload' });
      if (await reload.count()) {
        await reload.click();
      }
      await expect(page.getByText('Thank you — your order is placed.')).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
  }
});

test('checkout asks anonymous visitors to log in first', async ({ page }) => {
  await page.goto('/checkout');
  await expect(page).toHaveURL(/\/login\?next=%2Fcheckout|\/login\?next=\/checkout/);
});

test('addresses are added and deleted in the account', async ({ page }, info) => {
  await logIn(page, info, account(info), DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Orders' })).toBeVisible();
  await page.goto('/account/addresses');
  await ready(page, info);
  const street = `Teststraße ${Date.now() % 100000}`;
  await page.getByLabel('Full name').fill('Robin Reviewer');
  await page.getByLabel('Street and number').fill(street);
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Postal code').fill('10115');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByLabel('Phone (optional)').fill('12345');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Enter a phone number with its country code')).toBeVisible();

  await page.getByLabel('Full name').fill('Robin Reviewer');
  await page.getByLabel('Street and number').fill(street);
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Postal code').fill('10115');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByLabel('Phone (optional)').fill('+49 30 1234567');
  await page.getByRole('button', { name: 'Save' }).click();
  const item = page.locator('.address-book__item', { hasText: street });
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: /^Delete/ }).click();
  await expect(page.locator('.address-book__item', { hasText: street })).toHaveCount(0);
});

test('anonymous cart, log in, pay; the maker ships and delivers; the customer rates it, and once approved the review is on the product page', async ({ page, browser }, info) => {
  // The demo seed is deterministic (seed 1): its first maker belongs to the demo creator.
  const makerSlug = 'silverleaf-drone-works';
  // The whole journey: an anonymous visitor fills a cart, logs in (the cart joins
  // the account's), checks out, and follows the order to its review.
  await page.goto(`/creators/${makerSlug}?in_stock=1`);
  await ready(page, info);
  await page.locator('.product-card__add').first().getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).not.toHaveAccessibleName('Cart, 0 items');
  await logIn(page, info, info.project.name === 'js' ? 'customer@openaero.test' : 'admin@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Orders' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).not.toHaveAccessibleName('Cart, 0 items');
  // The maker has the portal open while the customer pays.
  const makerContext = await browser.newContext({ javaScriptEnabled: info.project.name === 'js' });
  const maker = await makerContext.newPage();
  await logIn(maker, info, 'creator@openaero.test', DEMO_PASSWORD);
  await expect(maker.getByRole('link', { name: 'Orders' })).toBeVisible();
  await maker.goto('/creator');
  await ready(maker, info);

  await page.goto('/checkout');
  await ready(page, info);
  await fillCheckout(page, '4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[^/]+$/);
  const number = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  if (info.project.name === 'js') {
    // Told on the open page, without reloading.
    const notice = maker.getByRole('status', { name: 'New notification' });
    await expect(notice).toContainText(new RegExp(`New order ${number}-\\d+ to ship: \\d+ items?\\.`));
    await expect(maker.getByRole('link', { name: /unread notifications?$/ })).not.toHaveAccessibleName('0 unread notifications');
    await ready(page, info);
  }

  await maker.goto('/creator/orders');
  await ready(maker, info);
  await maker.getByRole('link', { name: new RegExp(`^${number}-\\d+$`) }).first().click();
  await ready(maker, info);
  await maker.getByLabel('Carrier').fill('DHL');
  await maker.getByLabel('Tracking number').fill('JD014600006281');
  await maker.getByRole('button', { name: 'Mark shipped' }).click();
  await expect(maker.getByText('JD014600006281').first()).toBeVisible();
  if (info.project.name === 'js') {
    // The customer's open order page hears it too.
    await expect(page.getByRole('status', { name: 'New notification' })).toContainText('on its way with DHL, tracking number JD014600006281');
  }

  await page.goto(`/orders/${number}`);
  await ready(page, info);
  const part = page.locator('.sub-order', { hasText: 'JD014600006281' });
  await expect(part.locator('.badge', { hasText: 'Shipped' })).toBeVisible();

  await maker.getByRole('button', { name: 'Mark delivered' }).click();
  await expect(maker.getByText('Delivered. The money becomes available').first()).toBeVisible();
  await page.reload();
  await ready(page, info);
  await expect(page.locator('.sub-order', { hasText: 'JD014600006281' }).locator('.badge', { hasText: 'Delivered' })).toBeVisible();
  await makerContext.close();

  // The customer rates what arrived: a product rating (under its line) comes first,
  // the maker's after.
  const form = page.getByRole('group', { name: /^Rate / }).first();
  const product = (await form.locator('legend').first().textContent())!.replace(/^Rate /, '').trim();
  const text = `Holds a steady hover in gusts (${info.project.name} ${Date.now()})`;
  await form.getByRole('radio', { name: '5 stars' }).check();
  await form.getByLabel('Your review').fill(text);
  await form.getByRole('button', { name: 'Post review' }).click();
  const mine = page.locator('.own-rating', { has: page.getByRole('heading', { name: `Your rating of ${product}` }) });
  await expect(mine.locator('.badge', { hasText: 'Awaiting moderation' })).toBeVisible();
  const productPath = await page.locator('.sub-order').getByRole('link', { name: product, exact: true }).first().getAttribute('href');

  // A reviewer finds it in the queue and approves it.
  const reviewContext = await browser.newContext({ javaScriptEnabled: info.project.name === 'js' });
  const review = await reviewContext.newPage();
  await logIn(review, info, 'reviewer@openaero.test', DEMO_PASSWORD);
  await expect(review.getByRole('link', { name: 'Admin console' })).toBeVisible();
  await review.goto('/admin?kind=rating');
  await ready(review, info);
  const items = await review.getByRole('link', { name: product, exact: true }).evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')!),
  );
  for (const href of items.reverse()) {
    await review.goto(href);
    if (await review.getByText(text).count()) break;
  }
  await ready(review, info);
  await expect(review.getByText(text)).toBeVisible();
  await review.getByLabel('Approve').check();
  await review.getByRole('button', { name: 'Record decision' }).click();
  await expect(review.getByText('Decision recorded. The customer has been told.')).toBeVisible();
  await reviewContext.close();

  await page.reload();
  await ready(page, info);
  await expect(mine.locator('.badge', { hasText: 'Published' })).toBeVisible();
  // The store follows the event within a moment (its caches poll the event log).
  await expect(async () => {
    await page.goto(productPath!);
    await expect(page.getByRole('region', { name: 'Reviews' }).getByText(text)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('link', { name: /out of 5 stars/ }).first()).toBeVisible();
});
