import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';

import { DEMO_PASSWORD, cutOff, fillCheckout, logIn, signedIn } from './helpers';

/** A person's browser: headless Chromium names itself in its User-Agent, and programs
 *  are not counted. */
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

async function visitor(browser: Browser, info: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    userAgent: FIREFOX,
    javaScriptEnabled: info.project.use.javaScriptEnabled,
  });
  return context.newPage();
}

/** Today's page views in the admin overview's table. */
async function viewsToday(admin: Page): Promise<number> {
  await admin.goto('/admin/analytics');
  const today = new Date().toISOString().slice(0, 10);
  const row = admin.getByRole('row', { name: new RegExp(`^${today}`) });
  const views = await row.locator('td').nth(1).textContent();
  return Number(views);
}

test('a product a visitor opens shows in the admin overview; a program opening it does not', async ({ browser }, info) => {
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  const before = await viewsToday(admin);

  const shopper = await visitor(browser, info);
  await shopper.goto('/search?q=mapping');
  await shopper.locator('.product-card__link').first().click();
  await expect(shopper.locator('h1')).toBeVisible();
  // Headless Chromium as it is (this test's own admin browser, say) is a program.
  const robot = await browser.newPage();
  await robot.goto('/');

  // Written within half a second; the overview reads what was written.
  await expect(async () => expect(await viewsToday(admin)).toBe(before + 2)).toPass({ timeout: 10_000 });
  await expect(admin.getByRole('heading', { name: 'Analytics' })).toBeVisible();
  await expect(admin.getByRole('img', { name: /^Page views per day/ })).toBeVisible();

  await admin.setViewportSize({ width: 320, height: 640 });
  expect(await cutOff(admin), 'the overview is wider than the screen').toEqual([]);
});

test('a date that does not read is marked at its field', async ({ browser }, info) => {
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await admin.goto('/admin/analytics?from=2026-12-09&to=2026-12-01');
  await expect(admin.getByLabel('From')).toHaveAttribute('aria-invalid', 'true');
});

test("a maker sees a visitor's view of their product in their figures", async ({ browser }, info) => {
  const maker = await signedIn(browser, info, 'creator@openaero.test');
  await maker.goto('/account/selling');
  const shop = await maker.locator('a[href^="/creators/"]').first().getAttribute('href');

  const shopper = await visitor(browser, info);
  await shopper.goto(shop!);
  const product = await shopper.locator('a[href^="/p/"]').first().getAttribute('href');
  const views = async () => {
    await maker.goto('/creator/analytics');
    await expect(maker.getByRole('heading', { name: 'Your figures' })).toBeVisible();
    const row = maker.getByRole('row').filter({ has: maker.locator(`a[href="${product}"]`) });
    return (await row.count()) ? Number(await row.locator('td').first().textContent()) : 0;
  };
  const before = await views();
  await shopper.goto(product!);
  await expect(shopper.locator('h1')).toBeVisible();

  await expect(async () => expect(await views()).toBe(before + 1)).toPass({ timeout: 10_000 });
  await maker.setViewportSize({ width: 320, height: 640 });
  expect(await cutOff(maker), 'the figures are wider than the screen').toEqual([]);
});

test('each report opens from the tabs, keeps the period, and its tables download as CSV', async ({ browser }, info) => {
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await admin.goto('/admin/analytics?from=2026-11-01&to=2026-12-31');
  const tabs = admin.getByRole('navigation', { name: 'Reports' });
  for (const [tab, heading] of [
    ['Shoppers', 'Signups and active shoppers by day'],
    ['Products and makers', 'Products, most viewed first'],
    ['Revenue', 'Money by day'],
    ['Search', 'Popular searches'],
  ]) {
    await tabs.getByRole('link', { name: tab, exact: true }).click();
    await expect(admin.getByRole('heading', { name: heading })).toBeVisible();
    await expect(tabs.getByRole('link', { name: tab, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(admin.getByLabel('From', { exact: true })).toHaveValue('2026-11-01');
  }
  // The demo store's orders were paid in the period: the money by day has a file.
  await tabs.getByRole('link', { name: 'Revenue', exact: true }).click();
  const link = admin.getByRole('link', { name: 'Download “Money by day” as CSV' });
  const csv = await admin.request.get((await link.getAttribute('href'))!);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect((await csv.text()).replace('\uFEFF', '')).toMatch(/^day,gross,commission,refunded,payouts\r\n2026-11-01,/);
  await admin.setViewportSize({ width: 320, height: 640 });
  expect(await cutOff(admin), 'the revenue report is wider than the screen').toEqual([]);
});

/** A maker's figures for one product: views, adds and units bought (0 when unseen). */
async function funnel(maker: Page, product: string): Promise<number[]> {
  await maker.goto('/creator/analytics');
  const row = maker.getByRole('row').filter({ has: maker.locator(`a[href="${product}"]`) });
  if (!(await row.count())) return [0, 0, 0];
  const cells = row.locator('td');
  // Views, visitors, added to cart, views to cart, units bought …
  return Promise.all([0, 2, 4].map(async (i) => Number(await cells.nth(i).textContent())));
}

/** Today's paid orders in the admin overview's table. */
async function ordersToday(admin: Page): Promise<number> {
  await admin.goto('/admin/analytics');
  const today = new Date().toISOString().slice(0, 10);
  return Number(await admin.getByRole('row', { name: new RegExp(`^${today}`) }).locator('td').nth(2).textContent());
}

test('a visitor who views, adds and buys a product shows in the overview and in its maker\'s funnel', async ({ browser }, info) => {
  const maker = await signedIn(browser, info, 'creator@openaero.test');
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await maker.goto('/account/selling');
  const shop = await maker.locator('a[href^="/creators/"]').first().getAttribute('href');

  // A person's browser, signed in: headless Chromium as it is would be a program.
  const shopper = await visitor(browser, info);
  await logIn(shopper, info, 'customer@openaero.test', DEMO_PASSWORD);
  await shopper.goto(shop!);
  const card = shopper.locator('.product-card', { has: shopper.locator('.product-card__add') }).last();
  const product = await card.locator('a[href^="/p/"]').first().getAttribute('href');
  const [views, adds, units] = await funnel(maker, product!);
  const orders = await ordersToday(admin);

  await shopper.goto(product!);
  await shopper.getByRole('button', { name: 'Add to cart' }).first().click();
  await expect(shopper.getByRole('link', { name: /^Cart, \d+ items?$/ })).not.toHaveAccessibleName('Cart, 0 items');
  await shopper.goto('/checkout');
  await expect(shopper.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await fillCheckout(shopper, '4242 4242 4242 4242');
  await shopper.getByRole('button', { name: 'Place order' }).click();
  await expect(shopper.getByText('Thank you — your order is placed.')).toBeVisible({ timeout: 30_000 });

  // The view and the add are written within half a second; the purchase when the
  // order's event is delivered. Without JavaScript the add is a form that comes back
  // to the product's page: a second view.
  const seen = info.project.use.javaScriptEnabled ? 1 : 2;
  await expect(async () => {
    const [v, a, u] = await funnel(maker, product!);
    expect([v, a]).toEqual([views + seen, adds + 1]);
    expect(u).toBeGreaterThanOrEqual(units + 1);
  }).toPass({ timeout: 20_000 });
  await expect(async () => expect(await ordersToday(admin)).toBe(orders + 1)).toPass({ timeout: 20_000 });
});

test('an admin sets an alert from the keyboard, is told of a mistake at its field, and removes it', async ({ browser }, info) => {
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await admin.goto('/admin/analytics');
  await admin.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Alerts' }).click();
  await expect(admin.getByRole('link', { name: 'Alerts' })).toHaveAttribute('aria-current', 'page');
  const name = `Quiet shop ${info.project.name}`;

  await admin.getByLabel('Name', { exact: true }).fill(name);
  await admin.getByLabel('Figure', { exact: true }).selectOption('paid_orders');
  await admin.getByLabel('Alert when the figure is').selectOption('below');
  await admin.getByLabel('Threshold', { exact: true }).fill('1');
  // Hours must come in pairs: a start without an end is refused at the end's field.
  await admin.getByLabel('From hour (optional)').fill('8');
  await admin.getByLabel('Threshold', { exact: true }).press('Enter');
  await expect(admin.getByLabel('Until hour (optional)')).toHaveAttribute('aria-invalid', 'true');
  await expect(admin.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);

  await admin.getByLabel('Name', { exact: true }).fill(name);
  await admin.getByLabel('Figure', { exact: true }).selectOption('paid_orders');
  await admin.getByLabel('Alert when the figure is').selectOption('below');
  await admin.getByLabel('Threshold', { exact: true }).fill('1');
  await admin.getByLabel('From hour (optional)').fill('8');
  await admin.getByLabel('Until hour (optional)').fill('20');
  await admin.getByLabel('Until hour (optional)').press('Enter');
  const row = admin.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Paid orders over 60 min below 1, 08:00–20:00 UTC');
  await expect(row).toContainText('Not checked yet');

  await row.getByRole('button', { name: `Remove “${name}”` }).press('Enter');
  await expect(admin.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
});
