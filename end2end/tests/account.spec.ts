import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, linkFromMailbox, logIn, ready, uniqueEmail } from './helpers';

test('a visitor registers, verifies by mail, logs in, edits the profile, switches to Chinese and logs out', async ({
  page,
  browser,
}, info) => {
  const email = uniqueEmail('pilot', info);
  const password = 'Heron-glide-4417';

  await page.goto('/register');
  await ready(page, info);
  await page.getByLabel('Name').fill('Lin Wei');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

  const link = await linkFromMailbox(browser, info, email, '/verify-email');
  await page.goto(link);
  await ready(page, info);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByText('Thank you: your email is confirmed.')).toBeVisible();

  await logIn(page, info, email, password);
  await expect(page.getByRole('link', { name: 'Lin Wei' })).toBeVisible();

  await page.goto('/account');
  await ready(page, info);
  await page.getByLabel('About you').fill('I build long-range mapping fixed-wings.');
  await page.getByLabel('Location').fill('Shenzhen');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your profile was saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Location')).toHaveValue('Shenzhen');

  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '我的账户' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: '登录' })).toBeVisible();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('a wrong password shows a clear message next to the form', async ({ page }, info) => {
  await logIn(page, info, 'customer@openaero.test', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
});

test('registration shows field errors for bad input', async ({ page }, info) => {
  await page.goto('/register');
  await ready(page, info);
  await page.getByLabel('Name').fill('Lin Wei');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Repeat the password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter an email address like name@example.com.')).toBeVisible();
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
});

test('a customer opening the admin console gets 403', async ({ page }, info) => {
  await logIn(page, info, 'customer@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Casey Customer' })).toBeVisible();
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Access denied' })).toBeVisible();
});

test('an admin grants a role from the console', async ({ page }, info) => {
  await logIn(page, info, 'admin@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Admin console' })).toBeVisible();
  await page.goto('/admin/users?q=reviewer%40openaero.test');
  await ready(page, info);
  const row = page.getByRole('row', { name: /reviewer@openaero.test/ });
  await expect(row).toBeVisible();
  const toggle = row.getByRole('button', { name: /Creator$/ });
  const before = await toggle.getAttribute('aria-pressed');
  await toggle.click();
  await expect(page.getByRole('row', { name: /reviewer@openaero.test/ }).getByRole('button', { name: /Creator$/ }))
    .toHaveAttribute('aria-pressed', before === 'true' ? 'false' : 'true');
  await page.goto('/admin/audit');
  await expect(page.getByText(before === 'true' ? 'role.revoke' : 'role.grant').first()).toBeVisible();
});
