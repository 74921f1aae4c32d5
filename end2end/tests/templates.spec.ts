import { expect, test } from '@playwright/test';

import { ready, signedIn } from './helpers';

test('an admin previews a template, is refused an unknown variable, saves a version and brings the old one back', async ({ browser }, info) => {
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await admin.goto('/admin/templates');
  await ready(admin, info);
  await admin.getByRole('link', { name: /^English · Version \d+: Order shipped · In the app/ }).click();
  await ready(admin, info);
  const main = admin.getByRole('main');
  const versions = admin.locator('.template-history__version');
  const before = await versions.count();

  await admin.getByLabel('Text').fill('Shipped {{sub_order}} with {{carrier}} {{coupon}}');
  await admin.getByRole('button', { name: 'Preview' }).click();
  await expect(main).toContainText('This names a variable this notice does not offer');
  await expect(admin.getByLabel('Text')).toHaveValue('Shipped {{sub_order}} with {{carrier}} {{coupon}}');

  const line = `Part {{sub_order}} left with {{carrier}} (${info.project.name}).`;
  await admin.getByLabel('Text').fill(line);
  await admin.getByRole('button', { name: 'Preview' }).click();
  await expect(admin.locator('.template-preview')).toContainText(`Part OA-7Q4K2M-1 left with DHL Express (${info.project.name}).`);
  await admin.getByRole('button', { name: 'Save as new version' }).click();
  await expect(main.getByRole('status')).toContainText('Saved as version');
  await expect(versions).toHaveCount(before + 1);
  await expect(versions.first()).toContainText(line);

  // The version before this one, back in use as the newest.
  await versions.nth(1).getByRole('button', { name: /Bring back/ }).click();
  await expect(main.getByRole('status')).toContainText('Brought back as version');
  await expect(versions).toHaveCount(before + 2);
  await expect(versions.first()).not.toContainText(`(${info.project.name})`);
});

test('an account mail is edited by mail only, and its one-time link cannot be left out', async ({ browser }, info) => {
  const admin = await signedIn(browser, info, 'admin@openaero.test');
  await admin.goto('/admin/templates');
  await ready(admin, info);
  const mails = admin.getByRole('region', { name: 'Account mails' });
  await expect(mails.getByRole('columnheader')).toHaveText(['Mail', 'Email']);
  await mails.getByRole('link', { name: /^中文 · Version \d+: Reset your password · Email/ }).click();
  await ready(admin, info);
  const main = admin.getByRole('main');
  await expect(main).toContainText('the text must keep {{link}}');
  const text = admin.getByLabel('Text');
  await expect(text).toHaveValue(/\{\{link\}\}/);

  await text.fill('{{name}}，请联系我们重置密码。');
  await admin.getByRole('button', { name: 'Preview' }).click();
  await expect(main).toContainText('This mail is its one-time link: keep {{link}} in the text.');

  await text.fill('{{name}}，请在一小时内打开：\n{{link}}');
  await admin.getByRole('button', { name: 'Preview' }).click();
  await expect(admin.locator('.template-preview')).toContainText('/reset-password?token=');
});
