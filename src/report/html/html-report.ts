import type { ReportAnalysis } from '../analysis.ts';
import type { RenderedChart } from '../charts/score-charts.ts';
import { deltaIntervalText, deltaText, deltaUnit, intervalText, scoreText } from '../format/score-text.ts';
import { toolInfo } from '../../core/tool-info.ts';
import type { ReportEntry } from '../sources/entry.ts';
import { MARK, plainCellText, sourceLines, tableNotes } from '../tables/notes.ts';
import type { ScoreTable, TableCell } from '../tables/score-table.ts';
import { escapeHtml as h } from './escape.ts';
import { PAGE_CSS, PAGE_SCRIPT } from './page-assets.ts';
import { thumbnailFor, type FrameSource, type Thumbnail } from './thumbnails.ts';
import { loadVideoFrameSource } from './video-frame-source.ts';
import { worstSamples } from './worst-samples.ts';

export interface HtmlOptions {
  worst: number;
  thumbnails: boolean;
  /** Override the video decoder (tests); default: the project's decoder when present. */
  frameSource?: FrameSource | null;
}

/** No network: only inline styles and scripts, and images from data: URIs. */
const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

function cellHtml(c: TableCell): string {
  const cls = [c.rank ?? '', c.status === 'ok' || c.status === 'partial' ? '' : 'missing'].filter(Boolean).join(' ');
  const title = c.status === 'refused' ? ` title="${h(`missing: ${c.missing.join(', ')}`)}"` : c.status === 'partial' ? ` title="${h(c.coverage ? `partial: ${c.coverage.samples} of ${c.coverage.expected} samples${c.missing.length ? `; missing ${c.missing.join(', ')}` : ''}` : `partial: missing ${c.missing.join(', ')}`)}"` : '';
  const iv = c.interval ? ` data-ci="${h(`${c.interval.low},${c.interval.high}`)}"` : '';
  return `<td${cls ? ` class="${cls}"` : ''} data-value="${c.value === null ? '' : String(c.value)}"${iv}${title}>${h(plainCellText(c.status, c.text))}</td>`;
}

function mainTable(t: ScoreTable): string {
  const groups: { label: string; span: number }[] = [];
  for (const c of t.columns) {
    const label = c.kind === 'headline' ? 'Headline' : (c.group ?? '');
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.span += 1;
    else groups.push({ label, span: 1 });
  }
  const groupRow = groups.some((g) => g.label && g.label !== 'Headline')
    ? `<tr><th></th>${groups.map((g) => `<th class="group" colspan="${g.span}">${h(g.label)}</th>`).join('')}</tr>`
    : '';
  // Many columns (VBench: 19 scores): short headers, the full name on hover, so the table fits 1,400 px.
  const short = t.columns.length > 10;
  const head = `<tr><th>Model</th>${t.columns.map((c) => `<th data-id="${h(c.id)}" title="${h(short ? `${c.label} (${c.id})` : c.id)}">${h(short ? c.short : c.label)}</th>`).join('')}</tr>`;
  const rows = t.rows
    .map((r) => {
      const cls = r.entry.kind === 'published' ? ' class="published"' : '';
      return `<tr${cls} data-entry="${h(r.entry.label)}"><td data-value="${h(r.entry.label)}">${h(r.entry.label)}</td>${t.columns.map((c) => cellHtml(r.cells[c.id]!)).join('')}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table id="main-table" class="scores sortable"><thead>${groupRow}${head}</thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function intervalsSection(a: ReportAnalysis, t: ScoreTable): string {
  if (!a.bootstrap) return '';
  const pct = Math.round(a.bootstrap.confidence * 100);
  const parts = [
    `<h2 id="intervals">${pct} % bootstrap intervals</h2>`,
    `<p class="meta">Percentile intervals over prompts: ${a.bootstrap.resamples} resamples, seed ${a.bootstrap.seed}; the samples of one prompt move together.</p>`,
  ];
  for (const r of t.rows.filter((x) => x.entry.kind === 'run')) {
    const ds = r.entry.run!.dimensionScores;
    const rows = t.columns
      .filter((c) => r.cells[c.id]!.status !== 'missing')
      .map((c) => {
        const cell = r.cells[c.id]!;
        const iv = cell.interval;
        const d = ds[c.id];
        return `<tr><td>${h(c.label)}</td><td data-value="${cell.value ?? ''}">${h(plainCellText(cell.status, cell.text))}</td><td>${iv ? h(intervalText(a.layout, iv.low, iv.high)) + (iv.approximate ? ' ≈' : '') : MARK.missing}</td><td data-value="${d?.samples ?? ''}">${d ? `${d.samples}/${d.expected}` : ''}</td><td data-value="${iv?.prompts ?? ''}">${iv?.prompts ?? ''}</td><td data-value="${d?.errors ?? ''}">${d?.errors ?? ''}</td></tr>`;
      })
      .join('');
    parts.push(
      `<h3>${h(r.entry.label)}</h3><div class="table-wrap"><table class="sortable"><thead><tr><th>Score</th><th>Value</th><th>${pct} % interval</th><th>Samples</th><th>Prompts</th><th>Errors</th></tr></thead><tbody>${rows}</tbody></table></div>`,
    );
  }
  return parts.join('\n');
}

function differencesSection(a: ReportAnalysis, t: ScoreTable): string {
  if (a.differences.length === 0) return '';
  const unit = deltaUnit(a.layout);
  const parts = [`<h2 id="differences">Differences (paired bootstrap)</h2>`, `<p class="meta">Candidate − reference over the prompts both runs scored${unit ? `, in ${unit}` : ''}; coloured where the interval excludes 0.</p>`];
  for (const d of a.differences) {
    const ref = a.entries.find((e) => e.id === d.reference)!;
    const cand = a.entries.find((e) => e.id === d.candidate)!;
    const rows = t.columns
      .filter((c) => d.cells[c.id])
      .map((c) => {
        const p = d.cells[c.id]!;
        const cls = p.significant ? (p.delta > 0 ? 'delta-up' : 'delta-down') : '';
        return `<tr><td>${h(c.label)}</td><td class="${cls}" data-value="${p.delta}">${h(deltaText(a.layout, p.delta))}</td><td>${h(deltaIntervalText(a.layout, p.low, p.high))}</td><td data-value="${p.sharedPrompts}">${p.sharedPrompts}</td></tr>`;
      })
      .join('');
    parts.push(
      `<h3>${h(cand.label)} − ${h(ref.label)}</h3><div class="table-wrap"><table class="sortable"><thead><tr><th>Score</th><th>Difference</th><th>${Math.round(a.bootstrap!.confidence * 100)} % interval</th><th>Shared prompts</th></tr></thead><tbody>${rows}</tbody></table></div>`,
    );
  }
  return parts.join('\n');
}

function chartsSection(charts: RenderedChart[]): string {
  if (charts.length === 0) return '';
  const [main, ...rest] = charts.filter((c) => !c.file.startsWith('distribution-'));
  const dists = charts.filter((c) => c.file.startsWith('distribution-'));
  const fig = (c: RenderedChart) =>
    `<figure><img src="data:image/png;base64,${c.png.toString('base64')}" width="${c.width}" height="${c.height}" alt="${h(c.alt)}"><figcaption>${h(c.title)} (charts/${h(c.file)})</figcaption></figure>`;
  const parts = ['<h2 id="charts">Charts</h2>'];
  if (main) parts.push(fig(main));
  for (const c of rest) parts.push(fig(c));
  if (dists.length > 0) parts.push('<h3>Per-sample score distributions</h3>', `<div class="charts-grid">${dists.map(fig).join('')}</div>`);
  return parts.join('\n');
}

function thumbHtml(t: Thumbnail | null): string {
  if (!t) return '<span class="nothumb">no preview</span>';
  if (t.kind === 'image') return `<img class="thumb" src="${t.dataUri}" width="${t.width}" height="${t.height}" alt="thumbnail">`;
  const name = `strip${t.frames}x${t.frameWidth}`;
  return (
    `<style>@keyframes ${name}{to{background-position:-${t.frames * t.frameWidth}px 0}}</style>` +
    `<span class="strip" role="img" aria-label="frames of the video" style="--frames:${t.frames};width:${t.frameWidth}px;height:${t.height}px;background-image:url(${t.dataUri});animation-name:${name};animation-duration:${t.frames * 0.35}s"></span>`
  );
}

async function drillDownSection(a: ReportAnalysis, t: ScoreTable, o: HtmlOptions): Promise<string> {
  const runs = a.entries.filter((e) => e.kind === 'run');
  if (runs.length === 0 || o.worst <= 0) return '';
  const frameSource = o.frameSource === undefined ? await loadVideoFrameSource() : o.frameSource;
  const parts = ['<h2 id="worst">Worst samples per dimension</h2>', `<p class="meta">The ${o.worst} lowest-scoring samples of each run, with their prompt, to see what fails.</p>`];
  for (const col of t.columns.filter((c) => c.kind === 'dimension')) {
    const blocks: string[] = [];
    const scale = a.layout.perSampleScale(col.id);
    for (const e of runs) {
      const recs = e.run!.records[col.id];
      if (!recs || recs.length === 0) continue;
      const worst = worstSamples(recs, o.worst);
      const rows: string[] = [];
      for (const [k, r] of worst.entries()) {
        const thumb = o.thumbnails ? await thumbnailFor(r.path, frameSource) : null;
        // Per-sample values on the score's scale (imaging_quality's MOS 0–100 → 0–1), printed as the table prints scores.
        const onScale = typeof r.value === 'boolean' ? Number(r.value) : (r.value as number) / scale;
        const v = typeof r.value === 'boolean' ? (r.value ? 'pass' : 'fail') : scoreText(a.layout, onScale, a.layout.display.decimals + 1);
        rows.push(
          `<tr><td>${k + 1}</td><td data-value="${onScale}" title="${h(String(r.value))}">${h(v)}</td><td class="prompt">${h(r.prompt)}</td><td class="sample">${h(r.sample)}</td><td>${thumbHtml(thumb)}</td></tr>`,
        );
      }
      const errs = recs.filter((r) => !r.ok).length;
      blocks.push(
        `<h3>${h(e.label)}</h3>${errs ? `<p class="meta">${errs} sample(s) have error records and no score.</p>` : ''}<table class="worst"><thead><tr><th>#</th><th>Score</th><th>Prompt</th><th>Sample</th><th>Preview</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
      );
    }
    if (blocks.length > 0) parts.push(`<details data-dimension="${h(col.id)}"><summary>${h(col.label)}</summary>${blocks.join('')}</details>`);
  }
  return parts.join('\n');
}

/** Every sample with an error record, per run and dimension, with the reason (left out of the scores). */
function failedSection(a: ReportAnalysis, t: ScoreTable): string {
  const runs = a.entries.filter((e) => e.kind === 'run');
  const blocks: string[] = [];
  let total = 0;
  for (const e of runs) {
    const rows: string[] = [];
    for (const col of t.columns.filter((c) => c.kind === 'dimension')) {
      for (const r of (e.run!.records[col.id] ?? []).filter((x) => !x.ok)) {
        rows.push(
          `<tr><td>${h(col.label)}</td><td class="sample">${h(r.sample)}</td><td class="prompt">${h(r.prompt)}</td><td>${h(r.error?.code ?? '')}</td><td class="reason">${h(r.error?.message ?? 'no reason recorded')}</td></tr>`,
        );
      }
    }
    if (rows.length === 0) continue;
    total += rows.length;
    blocks.push(
      `<h3>${h(e.label)}: ${rows.length} failed sample(s)</h3><div class="table-wrap"><table class="failed sortable"><thead><tr><th>Dimension</th><th>Sample</th><th>Prompt</th><th>Error</th><th>Why</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    );
  }
  if (total === 0) return '';
  return [
    '<h2 id="failed">Failed samples</h2>',
    '<p class="meta">These samples have error records: they are left out of the scores (as the official code skips them) and are retried when the run is resumed.</p>',
    ...blocks,
  ].join('\n');
}

function provenanceSection(a: ReportAnalysis): string {
  const runs = a.entries.filter((e) => e.kind === 'run');
  if (runs.length === 0) return '';
  const summary = (e: ReportEntry) => {
    const p = e.run!.provenance;
    const rows: [string, string][] = [
      ['Directory', e.run!.root],
      ['Suite / mode', `${p.suite} / ${p.mode}`],
      ['Prompt set', p.promptSet ? `${p.promptSet.name} (${p.promptSet.count} prompts, sha256 ${p.promptSet.sha256.slice(0, 12)}…)` : 'none (custom samples)'],
      ['Samples', p.samples ? `${p.samples.count} (sha256 ${p.samples.sha256.slice(0, 12)}…)` : ''],
      ['Generator', p.generator ? `${p.generator.id} ${JSON.stringify(p.generator.settings)}` : 'none (samples brought by the user)'],
      ['Metric models', Object.entries(p.models ?? {}).map(([k, v]) => `${k} ${v.sha256.slice(0, 12)}…${v.fixture ? ' (fixture)' : ''}`).join(', ')],
      ['Execution provider', p.executionProvider],
      ['Host', `${p.host.hostname} (${p.host.cpuModel}, ${p.host.cpus} CPUs, Node ${p.host.node})`],
      ['Tool', `${p.tool.name} ${p.tool.version}${p.tool.gitCommit ? ` @ ${p.tool.gitCommit.slice(0, 12)}${p.tool.gitDirty ? ' (dirty)' : ''}` : ''}`],
      ['Started / finished', `${p.startedAt} / ${p.finishedAt ?? 'not finished'}`],
    ];
    return `<details class="provenance"><summary>${h(e.label)}</summary><table>${rows.map(([k, v]) => `<tr><th style="text-align:left">${h(k)}</th><td style="text-align:left;white-space:normal">${h(v)}</td></tr>`).join('')}</table><pre>${h(JSON.stringify(p, null, 2))}</pre></details>`;
  };
  return `<h2 id="provenance">Provenance</h2>\n${runs.map(summary).join('\n')}`;
}

/** The self-contained HTML report. */
export async function htmlReport(a: ReportAnalysis, t: ScoreTable, charts: RenderedChart[], o: HtmlOptions): Promise<string> {
  const tool = toolInfo();
  const warnings = a.warnings.filter((w) => !w.startsWith('SMOKE RUN'));
  const smoke = a.warnings.filter((w) => w.startsWith('SMOKE RUN'));
  const failed = a.entries.reduce((n, e) => n + Object.values(e.run?.records ?? {}).reduce((k, rs) => k + rs.filter((r) => !r.ok).length, 0), 0);
  const sources = sourceLines(t);
  const body = [
    `<h1>${h(a.title)}</h1>`,
    `<p class="meta">${h(a.layout.title)} · ${a.entries.filter((e) => e.kind === 'run').length} run(s)${a.entries.some((e) => e.kind === 'published') ? ` · ${a.entries.filter((e) => e.kind === 'published').length} published baseline(s)` : ''} · generated by ${h(tool.name)} ${h(tool.version)}</p>`,
    ...warnings.map((w) => `<div class="warning" role="alert">⚠ ${h(w)}</div>`),
    ...smoke.map((w) => `<div class="smoke" role="alert"><strong>SMOKE RUN</strong> — ${h(w.replace(/^SMOKE RUN: /, ''))}</div>`),
    failed > 0 ? `<div class="warning" role="alert">⚠ ${failed} sample(s) failed and are not in the scores: <a href="#failed">see why</a>.</div>` : '',
    '<h2 id="scores">Scores</h2>',
    mainTable(t),
    `<ul class="notes">${tableNotes(a, t).map((n) => `<li>${h(n)}</li>`).join('')}</ul>`,
    chartsSection(charts),
    intervalsSection(a, t),
    differencesSection(a, t),
    failedSection(a, t),
    await drillDownSection(a, t, o),
    provenanceSection(a),
    sources.length ? `<h2 id="sources">Sources of published numbers</h2><ul class="notes">${sources.map((s) => `<li>${MARK.published} ${h(s)}</li>`).join('')}</ul>` : '',
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${h(`${tool.name} ${tool.version}`)}">
<title>${h(a.title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${body.join('\n')}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
