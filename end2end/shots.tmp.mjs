import { chromium } from '@playwright/test';
import fs from 'fs';
const axeSource = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const [who, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const [label, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
  const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(base + '/login');
  await page.getByLabel('Email').fill(who);
  await page.getByLabel('Password').fill('Kestrel-demo-2026');
  await page.getByRole('button', { name: /log in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  for (const path of paths) {
    const r = await page.goto(base + path);
    await page.waitForLoadState('networkidle');
    const name = path.replace(/[^a-z0-9]+/gi, '_');
    await page.screenshot({ path: `/tmp/shots/${name}-${label}.png`, fullPage: process.env.FULL === '1' });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }));
    console.log(label, path, r.status(), 'violations:', result.violations.map((v) => `${v.id}(${v.nodes.length}) ${v.nodes[0]?.target}`).join('; ') || 'none');
  }
  await context.close();
}
await browser.close();
