import { expect, test, type Page, type TestInfo } from '@playwright/test';

import { ready, signedIn } from './helpers';

/** axe's source, run in the page as the browser's tools run scripts: the page's
 *  content security policy allows no inline script, so it cannot be added as a tag. */
const AXE = require('node:fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') as string;

/** WCAG 2.2 AA and axe's best practices. */
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/** The violations axe finds on the page as it stands, one line each. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    // @ts-expect-error axe is the script just added
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      (v: { id: string; impact: string; nodes: { target: string[] }[] }) =>
        `${v.impact} ${v.id}: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
  }, RULES);
}

/** Every page at both widths; all that fails is reported together. */
async function check(page: Page, info: TestInfo, paths: string[]) {
  const found: string[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const path of paths) {
      await page.goto(path);
      await ready(page, info);
      found.push(...(await violations(page)).map((v) => `${path} at ${size.width} px: ${v}`));
    }
  }
  expect(found).toEqual([]);
}


// The DOM axe reads is the server's HTML, hydrated: without JavaScript it is the same
// HTML, so one run covers both.
test.beforeEach(({}, info) => {
  test.skip(info.project.name === 'no-js', 'axe runs as a script in the page');
});

test('storefront pages pass axe at desktop and phone widths', async ({ page }, info) => {
  await page.goto('/search?q=mapping');
  const product = await page.locator('.product-card__link').first().getAttribute('href');
  await page.goto(product!);
  const maker = await page.locator('a[href^="/creators/"]').first().getAttribute('href');
  const category = await page.locator('a[href^="/c/"]').first().getAttribute('href');
  await check(page, info, [
    '/',
    '/search?q=mapping',
    '/search?q=mapping&cert=premium',
    category!,
    product!,
    maker!,
    '/cart',
    '/login',
    '/register',
    '/forgot-password',
  ]);
});

test("a customer's pages pass axe", async ({ browser }, info) => {
  // A demo shopper with delivered and reviewed orders.
  const page = await signedIn(browser, info, 'mei.lin@openaero.test');
  await page.goto('/orders');
  const order = await page.locator('a[href^="/orders/OA-"]').first().getAttribute('href');
  await check(page, info, [
    '/orders',
    order!,
    '/account',
    '/account/preferences',
    '/account/security',
    '/account/addresses',
    '/account/notifications',
    '/account/notifications/sent',
    '/account/selling',
    '/account/tokens',
    '/account/webhooks',
    '/account/privacy',
  ]);
});

test("the creator portal's pages pass axe", async ({ browser }, info) => {
  const page = await signedIn(browser, info, 'creator@openaero.test');
  await page.goto('/creator');
  const product = await page.locator('a[href^="/creator/products/"]').first().getAttribute('href');
  await check(page, info, [
    '/creator',
    product!,
    '/creator/products/new',
    '/creator/portfolio',
    '/creator/orders',
    '/creator/money',
    '/creator/analytics',
  ]);
});

test("the admin console's pages pass axe", async ({ browser }, info) => {
  const page = await signedIn(browser, info, 'admin@openaero.test');
  await page.goto('/admin?kind=rating');
  const item = await page.locator('a[href^="/admin/review/"]').first().getAttribute('href');
  // The demo's order mail, with its one-click unsubscribe link: the page it opens
  // (asking first) is checked too.
  await page.goto('/admin/mailbox');
  const link = new URL((await page.locator('a[href*="/unsubscribe?token="]').first().getAttribute('href'))!);
  await check(page, info, [
    '/admin',
    '/admin?kind=rating',
    item!,
    '/admin/users',
    '/admin/announcements',
    '/admin/templates',
    '/admin/templates/sale_to_ship/email/zh',
    '/admin/templates/order_paid/in_app/en',
    '/admin/templates/order_shipped/sms/zh',
    '/admin/templates/reset_password/email/en',
    '/admin/orders',
    '/admin/payouts',
    '/admin/ledger',
    '/admin/events',
    '/admin/deliveries',
    '/admin/deliveries?status=failed',
    '/admin/flags',
    '/admin/analytics',
    '/admin/analytics?from=2026-11-01&to=2026-12-31',
    '/admin/analytics/shoppers',
    '/admin/analytics/products',
    '/admin/analytics/revenue',
    '/admin/analytics/search',
    '/admin/analytics/alerts',
    '/admin/audit',
    '/admin/mailbox',
    link.pathname + link.search,
  ]);
});
