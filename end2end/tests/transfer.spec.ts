import { expect, test, type Page } from '@playwright/test';

import { DEMO_PASSWORD, logIn, ready } from './helpers';

/** What a first visit to a product page may download in JavaScript and WASM, brotli
 *  compressed, in bytes: 250 KB (issue 16). bench/README.md has the history. */
const STOREFRONT_SCRIPT_BUDGET = 250_000;

/** The compressed bytes of every script and WASM module the page loaded. */
async function scriptBytes(page: Page, path: string): Promise<{ total: number; files: string[] }> {
  const responses: Promise<{ url: string; size: number }>[] = [];
  page.on('requestfinished', (request) => {
    const url = request.url();
    if (/\.(js|wasm)$/.test(new URL(url).pathname)) {
      responses.push(request.sizes().then((s) => ({ url, size: s.responseBodySize })));
    }
  });
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  const loaded = await Promise.all(responses);
  return { total: loaded.reduce((sum, r) => sum + r.size, 0), files: loaded.map((r) => new URL(r.url).pathname) };
}

/** The main bundle: the one WASM module every page with an island loads. */
const MAIN_BUNDLE = /^\/pkg\/openaero\.[A-Za-z0-9_-]{22}\.wasm$/;

async function firstProductPath(page: Page): Promise<string> {
  await page.goto('/search?q=mapping');
  const href = await page.locator('.product-card__link').first().getAttribute('href');
  expect(href).toBeTruthy();
  return href!;
}

test('a first visit to a product page stays within the storefront script budget', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'without JavaScript no script is loaded at all');
  const product = await firstProductPath(page);
  await page.context().clearCookies();
  const { total, files } = await scriptBytes(page, product);
  expect(files.some((f) => f.endsWith('.wasm')), 'the bundle was loaded').toBe(true);
  expect(total, `compressed JS + WASM of ${product}: ${files.join(', ')}`).toBeLessThanOrEqual(STOREFRONT_SCRIPT_BUDGET);
});

test('the build is sent compressed and kept for good; pages are revalidated', async ({ page, request }, info) => {
  test.skip(info.project.name === 'no-js', 'one run is enough: this reads HTTP headers');
  await page.goto('/');
  await ready(page, info);
  const assets = await page.evaluate(() =>
    [...document.querySelectorAll('link[rel=modulepreload], link[rel=preload], link[rel=stylesheet]')].map(
      (l) => (l as HTMLLinkElement).getAttribute('href') ?? '',
    ),
  );
  const wasm = assets.find((a) => a.endsWith('.wasm'));
  const css = assets.find((a) => a.endsWith('.css'));
  const js = assets.find((a) => a.endsWith('.js'));
  for (const asset of [wasm, css, js]) {
    expect(asset, `${assets.join(', ')} names its files by content hash`).toMatch(/^\/pkg\/[^/.]+\.[A-Za-z0-9_-]{22}\.(wasm|css|js)$/);
    const brotli = await request.get(asset!, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(brotli.status()).toBe(200);
    expect(brotli.headers()['content-encoding'], `${asset} in brotli`).toBe('br');
    expect(brotli.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await request.get(asset!, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers()['content-encoding'], `${asset} without compression`).toBeUndefined();
  }

  const home = await request.get('/', { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(home.headers()['content-encoding']).toBe('br');
  expect(home.headers()['cache-control'] ?? '').not.toContain('immutable');
  expect(home.headers()['etag']).toBeTruthy();
});

/** Every WASM module the page fetched, from the network or the cache. */
async function wasmLoaded(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.endsWith('.wasm')),
  );
}

test('no storefront page loads code of the creator portal or the admin console', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'without JavaScript no script is loaded at all');
  const product = await firstProductPath(page);
  // Signed in as a maker: what someone may open must not change what the storefront sends.
  await logIn(page, info, 'creator@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Creator portal' })).toBeVisible();
  for (const path of ['/', '/search?q=mapping', product, '/cart', '/orders', '/account']) {
    const wasm = await wasmLoaded(page, path);
    expect(wasm, `WASM loaded by ${path}`).toHaveLength(1);
    expect(wasm[0], `WASM loaded by ${path}`).toMatch(MAIN_BUNDLE);
  }
  // The portal's upload picker is a chunk of its own, fetched by the page that shows it.
  const wasm = await wasmLoaded(page, '/creator/products/new');
  expect(wasm.filter((f) => !MAIN_BUNDLE.test(f)), 'the upload picker chunk').not.toHaveLength(0);
  await expect(page.getByLabel('Pictures, videos and documents')).toBeEnabled();
});
