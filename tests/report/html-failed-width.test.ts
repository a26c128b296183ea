import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../../src/report/build-report.ts';
import { VBENCH_DIMENSION_IDS } from '../../src/suites/vbench/constants.ts';
import { BIN } from '../helpers/cli.ts';
import { CdpBrowser, chromiumAvailable, CHROMIUM } from './helpers/cdp-pipe.ts';
import { writeSyntheticRun } from './helpers/synthetic-runs.ts';

const skip = chromiumAvailable() ? false : `headless Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set GENBENCH_CHROMIUM)`;
const W = mkdtempSync(join(tmpdir(), 'gb-html-failed-'));
// Every VBench dimension (19 score columns), one failed sample with its reason.
const dims = (shift: number) =>
  Object.fromEntries(
    VBENCH_DIMENSION_IDS.map((d, k) => [
      d,
      Array.from({ length: 6 }, (_, i) => ({ prompt: `p${i >> 1}`, index: i & 1, value: 0.5 + shift + ((i * 7 + k) % 5) / 20, ...(d === 'temporal_flickering' && i === 3 ? { ok: false } : {}) })),
    ]),
  );
const a = writeSyntheticRun(join(W, 'nova-fp32-osp480-long-name', 'run'), { mode: 'standard', dimensions: dims(0) });
const b = writeSyntheticRun(join(W, 'nova-fp16-osp480-long-name'), { mode: 'standard', dimensions: dims(0.01) });

test('the HTML report lists failed samples with their reason', async () => {
  const out = join(W, 'r1');
  await writeReport({ runs: [a], out, formats: ['html'], bootstrap: null, thumbnails: false });
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<h2 id="failed">Failed samples<\/h2>/);
  // The synthetic failure: temporal_flickering, sample p1-1.mp4#3, E_DECODE "synthetic failure".
  assert.match(html, /<tr><td>Temporal Flickering<\/td><td class="sample">p1-1\.mp4#3<\/td><td class="prompt">p1<\/td><td>E_DECODE<\/td><td class="reason">synthetic failure<\/td><\/tr>/);
  assert.match(html, /1 sample\(s\) failed and are not in the scores/);
  // A generic folder name is named with its parent: the title is not "VBench report: run".
  assert.match(html, /<title>VBench report: nova-fp32-osp480-long-name\/run<\/title>/);
});

test('genbench report . titles the report with the directory\'s real name; --title overrides', () => {
  const r = spawnSync(process.execPath, [BIN, 'report', '.', '--format', 'html', '--no-ci', '--no-thumbnails', '--out', join(W, 'dot')], { cwd: b, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(join(W, 'dot', 'report.html'), 'utf8'), /<h1>VBench report: nova-fp16-osp480-long-name<\/h1>/);
  const t = spawnSync(process.execPath, [BIN, 'report', '.', '--format', 'md', '--no-ci', '--title', 'NOVA fp16 <nightly>', '--out', join(W, 'titled')], { cwd: b, encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  assert.match(readFileSync(join(W, 'titled', 'scores.md'), 'utf8'), /^# NOVA fp16 <nightly>/);
});

test('the main table of a full VBench comparison fits 1,400 px without horizontal scrolling', { skip, timeout: 120_000 }, async () => {
  const out = join(W, 'r2');
  await writeReport({ runs: [a, b], out, baselines: ['nova'], formats: ['html'], bootstrap: null, thumbnails: false });
  const browser = CdpBrowser.launch();
  try {
    const s = await browser.newPage(1400, 1000);
    const loaded = browser.waitFor('Page.loadEventFired');
    await browser.send('Page.navigate', { url: pathToFileURL(join(out, 'report.html')).href }, s);
    await loaded;
    const m = await browser.evaluate<{ cols: number; table: number; wrap: number; page: number }>(
      s,
      `(() => { const t = document.getElementById('main-table'); const w = t.parentElement;
        return { cols: t.tHead.rows[t.tHead.rows.length - 1].cells.length, table: t.scrollWidth, wrap: w.clientWidth, page: document.documentElement.scrollWidth }; })()`,
    );
    assert.equal(m.cols, 20, 'model + 3 headline + 16 dimension columns');
    assert.ok(m.table <= m.wrap, `table ${m.table} px in a ${m.wrap} px frame`);
    assert.ok(m.page <= 1400, `page ${m.page} px`);
  } finally {
    await browser.close();
  }
});
