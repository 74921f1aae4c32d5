import { execFileSync } from 'node:child_process';

import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, logIn, ready } from './helpers';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

/** What an integrator's script does: `curl` with the token, JSON in and out. */
function curl(token: string, method: string, path: string, body?: object, headers: string[] = []): any {
  const args = ['-sS', '-X', method, `${BASE}/api/v1${path}`, '-H', `Authorization: Bearer ${token}`];
  for (const header of headers) args.push('-H', header);
  if (body) args.push('-H', 'Content-Type: application/json', '-d', JSON.stringify(body));
  return JSON.parse(execFileSync('curl', args, { encoding: 'utf8' }));
}

test('a maker makes a token in the account page, sets stock with curl, and the product page shows it', async ({ page }, info) => {
  await logIn(page, info, 'creator@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Creator portal' })).toBeVisible();
  await page.goto('/account/tokens');
  await ready(page, info);
  await page.getByLabel('Name').fill(`Warehouse sync ${info.project.name}`);
  await page.getByRole('checkbox', { name: /products:read/ }).check();
  await page.getByRole('checkbox', { name: /products:write/ }).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('Copy it now: it will not be shown again.')).toBeVisible();
  const token = await page.locator('#new-token-secret').inputValue();
  expect(token).toMatch(/^oa_/);

  // The maker's script: find a published product, set its stock from what it read.
  const listed = curl(token, 'GET', '/maker/products?limit=100');
  const product = listed.data.find((p: any) => p.status === 'published' && p.stock_reserved === 0);
  expect(product, JSON.stringify(listed).slice(0, 500)).toBeTruthy();
  const changed = curl(token, 'PATCH', `/maker/products/${product.id}`, { stock_on_hand: 3 }, [
    `If-Match: "${product.id}.v${product.version}"`,
  ]);
  expect(changed.stock_on_hand).toBe(3);
  // The same request again is refused: the version it names is gone.
  const stale = curl(token, 'PATCH', `/maker/products/${product.id}`, { stock_on_hand: 9 }, [
    `If-Match: "${product.id}.v${product.version}"`,
  ]);
  expect(stale.error.code).toBe('version_mismatch');

  await expect(async () => {
    await page.goto(`/p/${product.slug}`);
    await expect(page.getByText('Only 3 left')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });

  // Put the stock back for the other tests, and revoke the token: it stops working.
  curl(token, 'PATCH', `/maker/products/${product.id}`, { stock_on_hand: product.stock_on_hand });
  await page.goto('/account/tokens');
  await ready(page, info);
  await page.getByRole('button', { name: `Revoke Warehouse sync ${info.project.name}` }).click();
  await expect(page.getByText('The token was revoked')).toBeVisible();
  expect(curl(token, 'GET', '/maker/products').error.code).toBe('token_invalid');
});
