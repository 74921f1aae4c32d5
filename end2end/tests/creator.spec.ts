import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { DEMO_PASSWORD, linkFromMailbox, logIn, ready, uniqueEmail } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

type Upload = { name: string; mimeType: string; buffer: Buffer };

/** Chooses files in the picker labelled `label` and waits for each to be listed as
 *  uploaded. When one is not, the failure carries what the picker shows (a refusal, a
 *  stalled transfer) and what the browser logged, so a rare failure explains itself. */
async function upload(page: Page, label: string, files: Upload[]) {
  const logged: string[] = [];
  const listen = (m: { type(): string; text(): string }) => logged.push(`${m.type()}: ${m.text()}`);
  page.on('console', listen);
  try {
    // The picker is a lazy island: it takes files once its code has arrived.
    await expect(page.getByLabel(label)).toBeEnabled();
    await page.getByLabel(label).setInputFiles(files);
    const picker = page.locator('.upload').filter({ has: page.getByLabel(label) });
    for (const { name } of files) {
      try {
        await expect(picker.getByRole('link', { name })).toBeVisible({ timeout: 15_000 });
      } catch (e) {
        const shows = await picker.innerText().catch(() => '(gone)');
        throw new Error(`${(e as Error).message}\nthe picker shows: ${shows}\nthe browser logged:\n${logged.join('\n')}`);
      }
    }
  } finally {
    page.off('console', listen);
  }
}

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

/** A 2×2 PNG of one colour: a one-entry palette, every pixel index 0. */
function png(red: number, green: number, blue: number): Buffer {
  const header = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000020203000000', 'hex');
  const crc32 = (buf: Buffer) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return (~c >>> 0);
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdrData = header.subarray(16, 29);
  // zlib of the two rows (a filter byte and one byte of four 2-bit pixels each).
  const idat = Buffer.from('789c63606060000000040001', 'hex');
  return Buffer.concat([
    header.subarray(0, 8),
    chunk('IHDR', ihdrData),
    chunk('PLTE', Buffer.from([red, green, blue])),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A reviewer opens the newest queue item titled `title` and records a decision. */
async function decide(
  browser: Browser,
  info: TestInfo,
  title: string,
  decision: string,
  feedback: string,
  kind = 'creator_verification',
  before?: (page: Page) => Promise<void>,
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, info, 'reviewer@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('link', { name: 'Admin console' })).toBeVisible();
  await page.goto(`/admin?kind=${kind}`);
  await ready(page, info);
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await ready(page, info);
  if (before) await before(page);
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
  await upload(page, 'Verification documents', [{ name: 'registration.pdf', mimeType: 'application/pdf', buffer: PDF }]);
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

test('a creator lists a product with two pictures, fixes what review asked, and shoppers find it', async ({
  page,
  browser,
}, info) => {
  test.skip(info.project.name !== 'js', 'uploading files needs JavaScript');
  // A word no generated product has, so the search finds exactly this one.
  const word = 'Qz' + Date.now().toString(36);
  const name = `${word} Survey Wing`;
  await logIn(page, info, 'creator@openaero.test', DEMO_PASSWORD);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Creator portal' })).toBeVisible();
  await page.goto('/creator/products/new');
  await ready(page, info);
  await page.getByLabel('Category').selectOption('mapping-fixed-wings');
  await page.getByLabel('Name (English)').fill(name);
  await page.getByLabel('Description (English)').fill('A fixed-wing for corridor mapping.');
  await page.getByLabel('Price (USD)').fill('2499.00');
  await page.getByLabel('In stock').fill('5');
  await page.getByLabel('Flight time (min)').fill('55');
  await upload(page, 'Pictures, videos and documents', [
    { name: 'wing-top.png', mimeType: 'image/png', buffer: png(200, 40, 40) },
    { name: 'wing-side.png', mimeType: 'image/png', buffer: png(40, 40, 200) },
  ]);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await ready(page, info);
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByText('Submitted for review.')).toBeVisible();

  await decide(browser, info, name, 'Reject', 'Give the flight time with a 1 kg payload.', 'product_submission');

  await page.reload();
  await ready(page, info);
  await expect(page.getByText('Give the flight time with a 1 kg payload.')).toBeVisible();
  await page.getByLabel('Description (English)').fill('A fixed-wing for corridor mapping: 55 min with a 1 kg payload.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await ready(page, info);
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByText('Submitted for review.')).toBeVisible();

  const changed = await decide(browser, info, name, 'Approve', '', 'product_submission');
  expect(changed).toEqual(['Description (English)']);

  await expect(async () => {
    await page.goto(`/search?q=${word}`);
    await expect(page.getByRole('link', { name }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByText('55 min with a 1 kg payload.')).toBeVisible();
  await expect(page.locator('#certification')).toContainText('Not certified');

  // The creator applies for certification; a reviewer tests it and grants "standard".
  await page.goto('/creator');
  await ready(page, info);
  await page.getByRole('link', { name }).first().click();
  await ready(page, info);
  await page.getByRole('link', { name: 'Certification' }).click();
  await expect(page.getByRole('heading', { name: 'Apply for certification' })).toBeVisible();
  await ready(page, info);
  await page.getByLabel('Standard').check();
  await upload(page, 'Supporting documents', [{ name: 'endurance-report.pdf', mimeType: 'application/pdf', buffer: PDF }]);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Application sent.')).toBeVisible();
  await expect(page.getByText('Waiting for review')).toBeVisible();

  await decide(browser, info, name, 'Approve', '', 'certification_application', async (review) => {
    await expect(review.getByRole('link', { name: 'endurance-report.pdf' })).toBeVisible();
    await review.getByLabel('Test', { exact: true }).fill('Hover endurance');
    await review.getByLabel('Metric').fill('flight time');
    await review.getByLabel('Value').fill('54.5');
    await review.getByLabel('Unit').fill('min');
    await review.getByRole('button', { name: 'Record result' }).click();
    await expect(review.locator('#results table')).toContainText('54.5 min');
    await ready(review, info);
  });

  await page.goto(`/search?q=${word}`);
  await page.getByRole('link', { name }).first().click();
  const certificate = page.locator('#certification');
  await expect(certificate).toContainText('Standard certified');
  await expect(certificate).toContainText('OpenAero Test Lab');
  await expect(certificate).toContainText('Hover endurance');
});
