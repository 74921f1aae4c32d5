import { expect, test } from '@playwright/test';

import { ready, signedIn } from './helpers';

test('a customer proves a mobile number with the code texted to it, read from the SMS sandbox', async ({ browser }, info) => {
  // One demo customer per project: each proves a number of their own.
  const email = info.project.name === 'js' ? 'customer@openaero.test' : 'mei.lin@openaero.test';
  const number = info.project.name === 'js' ? '+4915123456701' : '+4915123456702';
  const page = await signedIn(browser, info, email);
  await page.goto('/account/preferences');
  await ready(page, info);
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Text messages' }) });
  await card.getByLabel('Mobile number').fill('0151 2345');
  await card.getByRole('button', { name: 'Text me a code' }).click();
  await expect(card).toContainText('Enter a phone number with its country code');

  await card.getByLabel('Mobile number').fill(number.replace(/(\d{2})(\d{3})(\d+)$/, '$1 $2 $3'));
  await card.getByRole('button', { name: 'Text me a code' }).click();
  await expect(card.getByRole('status')).toContainText('We texted you a code.');

  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await admin.goto('/admin/mailbox');
  const text = await admin.locator('.mail-item', { hasText: number }).first().textContent();
  const code = text!.match(/code: (\d{6})/)![1];
  await admin.close();

  await card.getByLabel('Code').fill(code === '000000' ? '000001' : '000000');
  await card.getByRole('button', { name: 'Confirm number' }).click();
  await expect(card).toContainText('That is not the code we texted');
  await card.getByLabel('Code').fill(code);
  await card.getByRole('button', { name: 'Confirm number' }).click();
  await expect(card.getByRole('status')).toContainText('Your number is confirmed');
  await expect(card).toContainText(`Text messages go to ${number}.`);
});
