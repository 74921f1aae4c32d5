import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { DEMO_PASSWORD, linkFromMailbox, logIn, ready, uniqueEmail } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function registerVerified(page: Page, browser: Browser, info: TestInfo, name: string, email: string, password: string) {
  await page.goto('/register');
  await ready(page, info);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await page.goto(await linkFromMailbox(browser, info, email, '/verify-email'));
  await ready(page, info);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByText('Thank you: your email is confirmed.')).toBeVisible();
  await logIn(page, info, email, password);
  await expect(page.getByRole('link', { name })).toBeVisible();
}

/** A reviewer opens the newest queue item for `business` and records a decision. */
async function decide(browser: Browser, info: TestInfo, business: string, decision: string, feedback: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, info, 'reviewer@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Admin console' })).toBeVisible();
  await page.goto('/admin?kind=creator_verification');
  await ready(page, info);
  await page.getByRole('link', { name: business, exact: true }).click();
  await expect(page.getByRole('heading', { name: business })).toBeVisible();
  await ready(page, info);
  await page.getByLabel(decision).check();
  if (feedback) await page.getByLabel('Feedback to the creator').fill(feedback);
  await page.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByText('Decision recorded. The creator has been told.')).toBeVisible();
  const changes = await page.locator('table.diff tr.diff--changed th').allTextContents();
  await context.close();
  return changes;
}

test('a user applies to sell with a document, fixes what the reviewer asked and becomes a creator', async ({
  page,
  browser,
}, info) => {
  test.skip(info.project.name !== 'js', 'uploading files needs JavaScript');
  const email = uniqueEmail('maker', info);
  const password = 'Heron-glide-4417';
  const business = `Kestrel Works ${Date.now()}`;
  await registerVerified(page, browser, info, 'Mei Lin', email, password);

  await page.goto('/account/selling');
  await ready(page, info);
  await page.getByLabel('Business name').fill(business);
  await page.getByLabel('Type of business').selectOption('company');
  await page.getByLabel('Tax id').fill('DE 123 456 789');
  await page.getByLabel('Street and number').fill('Hafenstraße 1');
  await page.getByLabel('City').fill('Hamburg');
  await page.getByLabel('Postal code').fill('20457');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByLabel('Contact email').fill(email);
  await page.getByLabel('Verification documents').setInputFiles({ name: 'registration.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByRole('link', { name: 'registration.pdf' })).toBeVisible();
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('heading', { name: 'Your application is being reviewed' })).toBeVisible();
  await expect(page.getByText('•••• 6789')).toBeVisible();
  await expect(page.getByText('123456789')).toHaveCount(0);

  await decide(browser, info, business, 'Request changes', 'Please use the registered company name, with GmbH.');

  await page.goto('/account/notifications');
  await expect(page.getByRole('link', { name: `Your application to sell “${business}” needs changes.` })).toBeVisible();
  await page.goto('/account/selling');
  await ready(page, info);
  await expect(page.getByText('Please use the registered company name, with GmbH.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'registration.pdf' })).toBeVisible();
  await page.getByLabel('Business name').fill(`${business} GmbH`);
  await page.getByLabel('Tax id').fill('DE 123 456 789');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('heading', { name: 'Your application is being reviewed' })).toBeVisible();

  const changed = await decide(browser, info, `${business} GmbH`, 'Approve', '');
  expect(changed).toEqual(['Business name']);

  await page.goto('/account/selling');
  await expect(page.getByRole('heading', { name: 'You are a verified creator' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Creator portal' })).toBeVisible();
});
