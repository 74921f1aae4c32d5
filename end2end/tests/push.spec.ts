import { expect, test } from '@playwright/test';

import { ready, signedIn } from './helpers';

const cardOf = (page: import('@playwright/test').Page) =>
  page.locator('section', { has: page.getByRole('heading', { name: 'Notifications on your devices' }) });

test('the push card offers this device, and without JavaScript says what it needs', async ({ browser }, info) => {
  const page = await signedIn(browser, info, 'customer@openaero.test');
  await page.context().grantPermissions(['notifications']).catch(() => {});
  await page.goto('/account/preferences');
  await ready(page, info);
  const card = cardOf(page);
  const turnOn = card.getByRole('button', { name: 'Turn on for this device' });
  if (info.project.name === 'no-js') {
    await expect(card.getByRole('status')).toContainText('needs JavaScript');
    await expect(turnOn).toBeHidden();
  } else {
    await expect(turnOn).toBeVisible();
    await expect(card).not.toContainText('needs JavaScript');
  }
});

test('the service worker shows a pushed notice', async ({ browser }, info) => {
  test.skip(info.project.name !== 'js', 'a service worker needs JavaScript');
  const page = await signedIn(browser, info, 'customer@openaero.test');
  await page.context().grantPermissions(['notifications']);
  await page.goto('/account/preferences');
  await ready(page, info);
  await expect(cardOf(page).getByRole('button', { name: 'Turn on for this device' })).toBeVisible();
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(new URL('/', page.url()).href);

  // Chromium's DevTools hand the worker a message the way a push service would.
  const cdp = await page.context().newCDPSession(page);
  const registrationId = new Promise<string>((resolve) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === scope && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  const notice = { title: 'Order OA-PUSH1 is paid', body: 'We have told the maker.', url: '/orders/OA-PUSH1', tag: 'order_paid' };
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: new URL(page.url()).origin,
    registrationId: await registrationId,
    data: JSON.stringify(notice),
  });
  await expect
    .poll(() =>
      page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => `${n.title}|${n.body}|${n.tag}|${n.data.url}`),
      ),
    )
    .toContain(`${notice.title}|${notice.body}|${notice.tag}|${notice.url}`);
});
