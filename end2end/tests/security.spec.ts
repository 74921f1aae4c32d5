import { expect, test, type Page } from '@playwright/test';

import { DEMO_PASSWORD, logIn, ready } from './helpers';

/** Collects every Content-Security-Policy violation the page reports, from the first
 *  byte on (the listener is installed before any of the page's own scripts run). */
async function watchPolicy(page: Page): Promise<string[]> {
  const reported: string[] = [];
  await page.exposeFunction('__reportViolation', (what: string) => reported.push(what));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportViolation: (w: string) => void }).__reportViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}`,
      );
    });
  });
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) reported.push(message.text());
  });
  return reported;
}

test('the storefront and the portal hydrate under their content security policy', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'the policy is about scripts');
  const violations = await watchPolicy(page);

  await page.goto('/search?in_stock=1');
  await ready(page, info);
  const href = (await page.locator('.product-grid a[href^="/p/"]').first().getAttribute('href'))!;
  await page.goto(href);
  await ready(page, info);
  // An island at work: add to cart, and the header's count follows.
  await page.locator('form.add-to-cart').getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  // The search box's suggestions come from a server function.
  await page.getByLabel('Search the catalog').pressSequentially('kestr', { delay: 40 });
  await expect(page.locator('#search-suggestions a').first()).toBeVisible();

  // A rated product shows its reviews per star as bars (drawn without inline styles).
  await page.goto('/search?rating=1');
  const rated = (await page.locator('.product-grid a[href^="/p/"]').first().getAttribute('href'))!;
  await page.goto(rated);
  await ready(page, info);
  await expect(page.locator('.histogram')).toBeVisible();

  // The portal's upload picker is a chunk loaded on demand.
  await logIn(page, info, 'creator@openaero.test', DEMO_PASSWORD);
  await page.goto('/creator/products/new');
  await ready(page, info);
  await expect(page.getByLabel('Pictures, videos and documents')).toBeEnabled();

  expect(violations, 'nothing the pages need was blocked').toEqual([]);
});

test('another site cannot show our pages in a frame', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'one run is enough');
  const blocked: string[] = [];
  page.on('console', (message) => blocked.push(message.text()));
  await page.setContent(`<iframe src="${new URL('/login', info.project.use.baseURL).href}"></iframe>`);
  const frame = page.frames().find((f) => f.url().includes('/login'));
  const framed = frame ? await frame.locator('input[type=email]').count().catch(() => 0) : 0;
  expect(framed, 'the login form does not render inside another page').toBe(0);
});
