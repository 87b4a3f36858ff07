// Browser test of the web page against a running server on the demo bundle and the sample corpus.
// run.sh starts the server and sets BASE_URL; CORPUS is the source folder; SCREENSHOT where the
// page's picture goes (docs/screenshot.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.BASE_URL ?? 'http://localhost:8080';
const CORPUS = process.env.CORPUS ?? 'ingest';
const SCREENSHOT = process.env.SCREENSHOT ?? 'docs/screenshot.png';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let browser;
let page;
const cspViolations = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  // The server's Content-Security-Policy (docs/operations.md, "Threat model and HTTP hardening"): every
  // script, style, image or fetch the policy blocks fires a securitypolicyviolation event (Chromium also
  // logs its own console line for it); the listener, installed before any page script runs, reports each
  // event once on the console with a marker. None may be blocked.
  page.on('console', (message) => {
    if (message.text().startsWith('CSP-VIOLATION ')) cspViolations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP-VIOLATION ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
});

after(async () => {
  await browser?.close();
});

test('the page runs under its Content-Security-Policy without a violation', async () => {
  const response = await page.goto(BASE_URL);
  const policy = response.headers()['content-security-policy'];
  assert.match(policy, /script-src 'self'/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  assert.equal(response.headers()['x-frame-options'], 'DENY');
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'up', null, { timeout: 60_000 });
  assert.deepEqual(cspViolations, []);
  // The detector itself: an inline style attribute (what app.js once wrote for the label bars) is reported.
  await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.innerHTML = '<span style="color: red">csp probe</span>';
    document.body.append(probe);
    setTimeout(() => probe.remove(), 0);
  });
  for (let i = 0; i < 50 && cspViolations.length === 0; i++) await page.waitForTimeout(100);
  assert.equal(cspViolations.length, 1, `expected the probe's violation, got ${JSON.stringify(cspViolations)}`);
  cspViolations.length = 0;
});

/** Types a query like a person would and waits for the grid to show its results. */
async function search(query) {
  const input = page.locator('#q');
  await input.fill('');
  await input.pressSequentially(query, { delay: 30 });
  await page.waitForFunction(
    (q) => new URLSearchParams(location.search).get('q') === q
      && document.querySelectorAll('#results .result').length > 0,
    query,
    { timeout: 30_000 },
  );
  return page.locator('#results .result');
}

function firstImage(folder, pattern) {
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      const found = firstImage(path, pattern);
      if (found) return found;
    } else if (pattern.test(name)) {
      return path;
    }
  }
  return null;
}

test('a Korean query puts the matching image first', async () => {
  await page.goto(BASE_URL);
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'up', null, { timeout: 60_000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  const results = await search('빨간 원');
  const first = await results.first().getAttribute('data-path');
  assert.match(first, /red-circle/, `first hit for 빨간 원 was ${first}`);
  // thumbnails load (served by id): every one in view
  await page.waitForFunction(() => {
    const visible = [...document.querySelectorAll('#results .result img')]
      .filter((img) => img.getBoundingClientRect().top < window.innerHeight);
    return visible.length > 0 && visible.every((img) => img.complete && img.naturalWidth > 0);
  }, null, { timeout: 30_000 });
  assert.match(await page.locator('#summary').textContent(), /결과 \d+개/);
  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: false });
});

test('another Korean query with a different colour and shape', async () => {
  const results = await search('파란 삼각형');
  const first = await results.first().getAttribute('data-path');
  assert.match(first, /blue-triangle/, `first hit for 파란 삼각형 was ${first}`);
});

test('the English switch translates the page and English queries work', async () => {
  await page.click('.lang button[data-lang=en]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('#tab-labels').textContent(), 'Labels');
  const results = await search('yellow square');
  const first = await results.first().getAttribute('data-path');
  assert.match(first, /yellow-square/, `first hit for yellow square was ${first}`);
  await page.click('.lang button[data-lang=ko]');
  assert.equal(await page.locator('#tab-labels').textContent(), '라벨 분류');
});

test('paging moves to the next page', async () => {
  await search('빨간 원');
  const before = await page.locator('#results .result').first().getAttribute('data-id');
  await page.click('#next');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('page') === '2');
  await page.waitForFunction(
    (id) => document.querySelectorAll('#results .result').length > 0
      && document.querySelector('#results .result').dataset.id !== id,
    before,
  );
  await page.click('#prev');
  await page.waitForFunction((id) => document.querySelector('#results .result')?.dataset.id === id, before);
});

test('an image finds images like it', async () => {
  const image = firstImage(CORPUS, /^green-square-.*\.(png|jpe?g)$/);
  assert.ok(image, `no green-square image under ${CORPUS}`);
  await page.setInputFiles('#file', image);
  await page.waitForFunction(() => !document.querySelector('#query-image').hidden
    && document.querySelectorAll('#results .result').length > 0, null, { timeout: 30_000 });
  const first = await page.locator('#results .result').first().getAttribute('data-path');
  assert.match(first, /green-square/, `first hit for a green square image was ${first}`);
});

test('labels panel shows zero-shot probabilities', async () => {
  // The image from the previous test is the current image.
  await page.click('#tab-labels');
  await page.fill('#labels', '초록 네모\n빨간 원\n파란 세모');
  await page.click('#classify');
  await page.waitForFunction(() => document.querySelectorAll('#bars li').length === 3, null, { timeout: 30_000 });
  const top = await page.locator('#bars li .label').first().textContent();
  assert.equal(top, '초록 네모');
});

test('patches panel draws a heatmap', async () => {
  await page.click('#tab-patches');
  await page.fill('#patch-q', '초록 네모');
  await page.click('#find-patches');
  await page.waitForFunction(() => {
    const img = document.querySelector('#heatmap');
    return img && !img.hidden && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 30_000 });
  assert.match(await page.locator('#patch-best').textContent(), /가장 잘 맞는 칸/);
});

test('errors are shown, not thrown', async () => {
  await page.click('#tab-search');
  await search('빨간 원');
  await page.fill('#q', 'x'.repeat(200) + 'y');
  // maxlength caps typing at 200; ask the API directly through the page for an over-long query
  const status = await page.evaluate(async () => (await fetch('/api/v1/search?q=' + 'x'.repeat(201))).status);
  assert.equal(status, 400);
});

test('no Content-Security-Policy violation in the whole session (results, previews, bars, heatmap)', async () => {
  // Runs last: every panel above has rendered under the policy.
  assert.deepEqual(cspViolations, []);
});
