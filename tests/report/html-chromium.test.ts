import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../../src/report/build-report.ts';
import { CdpBrowser, chromiumAvailable, CHROMIUM } from './helpers/cdp-pipe.ts';
import { writeSyntheticRun, type SyntheticSample } from './helpers/synthetic-runs.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';

const skip = chromiumAvailable() ? false : `headless Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set GENBENCH_CHROMIUM)`;

/** Samples whose files are real images (the project's test photos), so the drill-down has thumbnails to decode. */
function samples(values: (number | boolean)[], images: string[]): SyntheticSample[] {
  return values.map((value, i) => ({ prompt: `prompt ${i >> 1}`, index: i & 1, value, path: images[i % images.length]! }));
}

async function report(): Promise<{ html: string; out: string }> {
  const w = mkdtempSync(join(tmpdir(), 'gb-html-'));
  const imgs = await Promise.all(['fruit-bowl-512x512.jpg', 'fur-texture-512x512.jpg', 'market-512x480.jpg', 'chick-rgba-512x512.png'].map(testImagePath));
  const run = (name: string, tf: number, dd: boolean[], promptSet?: string) =>
    writeSyntheticRun(join(w, name), {
      mode: 'custom',
      dimensions: { temporal_flickering: samples([tf, tf, tf, tf], imgs), dynamic_degree: samples(dd, imgs) },
      provenance: promptSet ? { promptSet: { name: promptSet, sha256: 'f'.repeat(64), count: 2 } } : undefined,
    });
  // Same hand-computed values as the table test: TF 98.12 / 98.12 / 98.11, DD 50.00 / 75.00 / 25.00.
  const runs = [
    run('alpha', 0.98125, [true, true, false, false]),
    run('beta', 0.981249, [true, true, true, false]),
    // gamma used another prompt set: the report must warn that it is not comparable.
    run('gamma', 0.9811, [true, false, false, false], 'another-prompt-set'),
  ];
  const out = join(w, 'report');
  await writeReport({ runs, out, baselines: ['nova'], formats: ['html'], bootstrap: { resamples: 200, seed: 1, confidence: 0.95 } });
  return { html: join(out, 'report.html'), out };
}

test('the HTML report loads in headless Chromium without errors or requests, and shows the expected numbers', { skip, timeout: 120_000 }, async () => {
  const { html, out } = await report();
  const browser = CdpBrowser.launch();
  try {
    const s = await browser.newPage(1400, 1000);
    const loaded = browser.waitFor('Page.loadEventFired');
    await browser.send('Page.navigate', { url: pathToFileURL(html).href }, s);
    await loaded;
    assert.equal(await browser.evaluate<string>(s, "document.documentElement.getAttribute('data-ready')"), '1', 'the page script ran');
    assert.equal(await browser.evaluate<string | null>(s, "document.documentElement.getAttribute('data-errors')"), null);

    const table = await browser.evaluate<{ heads: string[]; rows: string[][]; classes: string[][] }>(
      s,
      `(() => { const t = document.getElementById('main-table');
        const heads = Array.from(t.tHead.rows[t.tHead.rows.length - 1].cells).map((c) => c.textContent.trim());
        const rows = Array.from(t.tBodies[0].rows).map((r) => Array.from(r.cells).map((c) => c.textContent.trim()));
        const classes = Array.from(t.tBodies[0].rows).map((r) => Array.from(r.cells).map((c) => c.className));
        return { heads, rows, classes }; })()`,
    );
    assert.deepEqual(table.heads, ['Model', 'Total Score', 'Quality Score', 'Semantic Score', 'Temporal Flickering', 'Dynamic Degree']);
    assert.deepEqual(table.rows, [
      ['alpha', 'n/a', 'n/a', 'n/a', '98.12', '50.00'],
      ['beta', 'n/a', 'n/a', 'n/a', '98.12', '75.00'],
      ['gamma', 'n/a', 'n/a', 'n/a', '98.11', '25.00'],
      ['NOVA-0.6B T2V (nova-d48w1024-osp480)', '80.12', '—', '—', '—', '—'],
    ]);
    assert.deepEqual(table.classes.map((r) => [r[4], r[5]]), [
      ['best', 'second'],
      ['best', 'best'],
      ['second', ''],
      ['missing', 'missing'],
    ]);

    // Sorting: clicking "Dynamic Degree" sorts descending, numbers as numbers, missing last.
    await browser.evaluate(s, "document.querySelector('#main-table th[data-id=dynamic_degree]').click()");
    const order = await browser.evaluate<string[]>(s, "Array.from(document.querySelectorAll('#main-table tbody tr')).map((r) => r.cells[0].textContent.trim())");
    assert.deepEqual(order, ['beta', 'alpha', 'gamma', 'NOVA-0.6B T2V (nova-d48w1024-osp480)']);

    const warning = await browser.evaluate<string>(s, "Array.from(document.querySelectorAll('.warning')).map((w) => w.textContent).join(' | ')");
    assert.match(warning, /alpha and gamma are not comparable: prompt set/);

    // Drill-down: one <details> per dimension, thumbnails decoded from the sample images.
    const drill = await browser.evaluate<{ details: string[]; thumbs: number; decoded: number; charts: number }>(
      s,
      `(() => ({ details: Array.from(document.querySelectorAll('details[data-dimension]')).map((d) => d.dataset.dimension),
        thumbs: document.querySelectorAll('img.thumb').length,
        decoded: Array.from(document.querySelectorAll('img.thumb')).filter((i) => i.complete && i.naturalWidth > 0).length,
        charts: Array.from(document.querySelectorAll('figure img')).filter((i) => i.complete && i.naturalWidth > 0).length }))()`,
    );
    assert.deepEqual(drill.details, ['temporal_flickering', 'dynamic_degree']);
    assert.ok(drill.thumbs >= 12, `thumbnails: ${drill.thumbs}`);
    assert.equal(drill.decoded, drill.thumbs);
    assert.ok(drill.charts >= 3, `charts shown: ${drill.charts}`);

    // Open the drill-downs and take a screenshot (for people to look at).
    await browser.evaluate(s, "document.querySelectorAll('details').forEach((d) => (d.open = true))");
    const shot = await browser.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, s);
    writeFileSync(join(out, 'screenshot.png'), Buffer.from(shot.data, 'base64'));

    const errors = browser.events.filter(
      (e) =>
        e.method === 'Runtime.exceptionThrown' ||
        (e.method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(e.params.type)) ||
        (e.method === 'Log.entryAdded' && ['error', 'warning'].includes(e.params.entry.level)),
    );
    assert.deepEqual(errors.map((e) => JSON.stringify(e.params).slice(0, 300)), []);
    const requests = browser.events.filter((e) => e.method === 'Network.requestWillBeSent').map((e) => e.params.request.url as string);
    assert.ok(requests.length >= 1);
    for (const u of requests) assert.ok(u.startsWith('file:') || u.startsWith('data:'), `network request to ${u.slice(0, 80)}`);
  } finally {
    await browser.close();
  }
});
