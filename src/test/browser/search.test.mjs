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
  // the status names the model and where it came from (health's model.source: local or hf:org/name@commit)
  assert.match(await page.locator('#status').textContent(), /^koclip-demo · /);
  assert.equal(await page.getAttribute('#status', 'data-model-source'), 'local');
  assert.match(await page.getAttribute('#status', 'title'), /koclip-demo local/);
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

test('the mode switch sends the mode and keeps it in the URL', async () => {
  await page.click('#tab-search');
  await page.click('#modes button[data-mode=vector]');
  const modes = [];
  const listener = (request) => {
    if (request.url().includes('/api/v1/search?')) modes.push(new URL(request.url()).searchParams.get('mode'));
  };
  page.on('request', listener);
  try {
    await search('빨간 원');
    await page.click('#modes button[data-mode=hybrid]');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'hybrid'
      && document.querySelectorAll('#results .result').length > 0, null, { timeout: 30_000 });
    assert.equal(await page.getAttribute('#modes button[data-mode=hybrid]', 'aria-pressed'), 'true');
    const first = await page.locator('#results .result').first().getAttribute('data-path');
    assert.match(first, /red-circle/, `first hybrid hit for 빨간 원 was ${first}`);
    await page.click('#modes button[data-mode=lexical]');
    // lexical finds what the images' words say: results or the no-results note, never an error
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'lexical'
      && (document.querySelectorAll('#results .result').length > 0
        || document.querySelector('#message').classList.contains('info')), null, { timeout: 30_000 });
    assert.equal(await page.locator('#message:not(.info):not([hidden])').count(), 0);
  } finally {
    page.off('request', listener);
  }
  assert.deepEqual([...new Set(modes.filter(Boolean))], ['hybrid', 'lexical']);
  assert.ok(modes.includes(null), 'vector mode sends no mode parameter');
  await page.click('#modes button[data-mode=vector]');
});

test('snippets show the highlighted words and nothing but <mark> gets through', async () => {
  const route = '**/api/v1/search?*';
  await page.route(route, async (r) => {
    const response = await r.fetch();
    const body = await response.json();
    if (body.hits?.length) {
      body.hits[0].snippet = {
        field: 'title',
        html: '<mark>경복궁</mark>에서 &lt;b&gt; <img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
          + '<b onclick="window.__xss=3">야경</b>',
      };
    }
    await r.fulfill({ response, json: body });
  });
  try {
    await search('경복궁 야경');
    const snippet = page.locator('#results .result').first().locator('.snippet');
    await snippet.waitFor({ state: 'visible' });
    assert.equal(await snippet.locator('mark').count(), 1);
    assert.equal(await snippet.locator('mark').textContent(), '경복궁');
    assert.equal(await snippet.locator('*:not(mark)').count(), 0);
    assert.equal(await snippet.textContent(), '경복궁에서 <b> 야경');
    assert.equal(await snippet.getAttribute('data-field'), 'title');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    // a hit without a snippet shows none
    assert.equal(await page.locator('#results .result').nth(1).locator('.snippet:not([hidden])').count(), 0);
  } finally {
    await page.unroute(route);
  }
});

test('find similar + words composes a query from a hit', async () => {
  await search('빨간 원');
  const hit = page.locator('#results .result').first();
  const id = await hit.getAttribute('data-id');
  await hit.locator('.similar-plus').click();
  await page.waitForFunction(() => !document.querySelector('#compose').hidden
    && new URLSearchParams(location.search).has('similar'));
  await page.waitForFunction(() => document.querySelectorAll('#results .result').length > 0, null, { timeout: 30_000 });
  await page.fill('#compose-plus', '파란');
  await page.fill('#compose-minus', '빨간');
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/api/v1/search/compose') && r.method() === 'POST'),
    page.click('#compose-apply'),
  ]);
  const body = JSON.parse(request.postData());
  assert.deepEqual(body.terms, [{ imageId: id }, { text: '파란', weight: 1 }, { text: '빨간', weight: -1 }]);
  await page.waitForFunction(() => document.querySelectorAll('#results .result').length > 0
    && !document.querySelector('#summary .spinner'), null, { timeout: 30_000 });
  const first = await page.locator('#results .result').first().getAttribute('data-path');
  assert.match(first, /blue/, `first hit for a red circle + 파란 − 빨간 was ${first}`);
  assert.equal(await page.locator(`#results .result[data-id="${id}"]`).count(), 0, 'the query image is left out');
});

test('an upload + words is a multipart compose', async () => {
  const image = firstImage(CORPUS, /^green-square-.*\.(png|jpe?g)$/);
  await page.setInputFiles('#file', image);
  await page.waitForFunction(() => !document.querySelector('#compose').hidden
    && /이미지로 찾는 중/.test(document.querySelector('#query-image-text').textContent)
    && document.querySelectorAll('#results .result').length > 0, null, { timeout: 30_000 });
  await page.fill('#compose-plus', '빨간');
  await page.fill('#compose-minus', '');
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/api/v1/search/compose') && r.method() === 'POST'),
    page.click('#compose-apply'),
  ]);
  // Chromium does not expose a body holding a file; the server's answer says what it received
  assert.match(request.headers()['content-type'], /^multipart\/form-data/);
  const response = await request.response();
  assert.equal(response.status(), 200);
  const name = image.split('/').pop();
  assert.equal((await response.json()).query, `upload:${name} + 빨간`);
  await page.waitForFunction(() => document.querySelectorAll('#results .result').length > 0, null, { timeout: 30_000 });
  await page.click('#clear-image');
  assert.equal(await page.locator('#compose').isHidden(), true);
});

test('the duplicates view lists groups of near-duplicates', async () => {
  await page.click('#tab-duplicates');
  await page.fill('#max-distance', '0.01');
  await page.click('#find-duplicates');
  await page.waitForFunction(() => document.querySelectorAll('#groups .group').length > 0, null, { timeout: 60_000 });
  const sizes = await page.locator('#groups .group').evaluateAll((groups) => groups.map((g) => g.querySelectorAll('.member').length));
  assert.ok(sizes.every((n) => n >= 2), `group sizes ${sizes}`);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'largest groups first');
  assert.match(await page.locator('#duplicates-summary').textContent(), /묶음 \d+개/);
  await page.waitForFunction(() => [...document.querySelectorAll('#groups .member img')]
    .filter((img) => img.getBoundingClientRect().top < window.innerHeight)
    .every((img) => img.complete && img.naturalWidth > 0), null, { timeout: 30_000 });
  // a tighter distance finds fewer (or as many) images in groups
  const total = async () => Number((await page.locator('#duplicates-summary').textContent()).match(/(\d+)장/)[1]);
  const wide = await total();
  await page.fill('#max-distance', '0');
  await page.click('#find-duplicates');
  await page.waitForFunction(() => /장/.test(document.querySelector('#duplicates-summary').textContent)
    && !document.querySelector('#find-duplicates').disabled);
  assert.ok(await total() <= wide);
});

test('the heatmap shows the whole image in its aspect ratio (600x480)', async () => {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 600;
    canvas.height = 480;
    const g = canvas.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 600, 480);
    g.fillStyle = '#dd0000';
    g.beginPath();
    g.arc(480, 400, 70, 0, 2 * Math.PI);
    g.fill();
    return canvas.toDataURL('image/png');
  });
  await page.click('#tab-patches');
  await page.setInputFiles('.dropzone[data-target=patches] input[type=file]',
    { name: 'wide.png', mimeType: 'image/png', buffer: Buffer.from(dataUrl.split(',')[1], 'base64') });
  await page.fill('#patch-q', '빨간 원');
  await page.click('#find-patches');
  await page.waitForFunction(() => {
    const img = document.querySelector('#heatmap');
    return img && !img.hidden && img.complete && img.naturalWidth === 600;
  }, null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.querySelector('#heatmap').naturalHeight), 480);
  const box = await page.locator('#heatmap').boundingBox();
  const zone = await page.locator('.dropzone[data-target=patches]').boundingBox();
  assert.ok(Math.abs(box.width / box.height - 600 / 480) < 0.01, `heatmap box ${box.width}x${box.height}`);
  // the whole box inside the zone: nothing clipped at the top or bottom
  assert.ok(box.y >= zone.y - 0.5 && box.y + box.height <= zone.y + zone.height + 0.5,
    `heatmap ${JSON.stringify(box)} outside the drop zone ${JSON.stringify(zone)}`);
  assert.ok(box.x >= zone.x - 0.5 && box.x + box.width <= zone.x + zone.width + 0.5);
  assert.ok(box.height > 300, `heatmap only ${box.height} px tall`);
});

test('no Content-Security-Policy violation in the whole session (results, previews, bars, heatmap)', async () => {
  // Runs last: every panel above has rendered under the policy.
  assert.deepEqual(cspViolations, []);
});
