import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRuns } from '../../src/report/build-report.ts';
import { csvReport } from '../../src/report/tables/csv-table.ts';
import { latexEscape, latexReport } from '../../src/report/tables/latex-table.ts';
import { markdownReport } from '../../src/report/tables/markdown-table.ts';
import { buildScoreTable } from '../../src/report/tables/score-table.ts';
import { rankColumn } from '../../src/report/tables/rank.ts';
import { csvRecords } from './helpers/csv-parse.ts';
import { writeSyntheticRun, type SyntheticSample } from './helpers/synthetic-runs.ts';

const same = (prompt: string, values: (number | boolean)[]): SyntheticSample[] => values.map((value, index) => ({ prompt, index, value }));

/**
 * Three VBench runs (custom mode: two dimensions), values chosen by hand:
 *   temporal_flickering  alpha 0.98125 → 98.125 exactly → 98.12 (tie to even)   beta 0.981249 → 98.12   gamma 0.9811 → 98.11
 *   dynamic_degree       alpha 2/4 → 50.00   beta 3/4 → 75.00   gamma 1/4 → 25.00
 * So: TF best = alpha and beta (equal as printed), second = gamma; DD best = beta, second = alpha.
 */
function vbenchRuns(): string[] {
  const w = mkdtempSync(join(tmpdir(), 'gb-tables-'));
  const run = (name: string, tf: number, dd: boolean[]) =>
    writeSyntheticRun(join(w, name), {
      mode: 'custom',
      dimensions: { temporal_flickering: [...same('p1', [tf, tf]), ...same('p2', [tf, tf])], dynamic_degree: [...same('p1', dd.slice(0, 2)), ...same('p2', dd.slice(2))] },
    });
  return [run('alpha', 0.98125, [true, true, false, false]), run('beta', 0.981249, [true, true, true, false]), run('gamma', 0.9811, [true, false, false, false])];
}

test('rankColumn: best and second on printed values, ties share the mark, fewer than two values get none', () => {
  assert.deepEqual(rankColumn(['98.12', '98.12', '98.11', null]), ['best', 'best', 'second', null]);
  assert.deepEqual(rankColumn(['50.00', '75.00', '25.00']), ['second', 'best', null]);
  assert.deepEqual(rankColumn(['80.12', null]), [null, null]);
  assert.deepEqual(rankColumn(['1.00', '1.00']), [null, null]);
});

test('VBench markdown table: hand-computed values, rounding, bold/underline, refused headline scores', () => {
  const a = analyzeRuns({ runs: vbenchRuns(), bootstrap: null });
  const t = buildScoreTable(a);
  const md = markdownReport(a, t);
  assert.match(md, /\| Model \| Total Score \| Quality Score \| Semantic Score \| Temporal Flickering \| Dynamic Degree \|/);
  assert.match(md, /\| alpha \| n\/a \| n\/a \| n\/a \| \*\*98\.12\*\* \| <ins>50\.00<\/ins> \|/);
  assert.match(md, /\| beta \| n\/a \| n\/a \| n\/a \| \*\*98\.12\*\* \| \*\*75\.00\*\* \|/);
  assert.match(md, /\| gamma \| n\/a \| n\/a \| n\/a \| <ins>98\.11<\/ins> \| 25\.00 \|/);
  // The refused Total says what is missing and what to do.
  assert.match(md, /n\/a Total Score \(alpha, beta, gamma\): needs every dimension of its group \(missing 14: subject\\_consistency, background\\_consistency/);
  assert.match(md, /--allow-partial/);
  // No semantic panel: none of its dimensions was measured.
  assert.doesNotMatch(md, /## Semantic dimensions/);
});

test('--allow-partial prints marked partial headline values and never ranks them', () => {
  const a = analyzeRuns({ runs: vbenchRuns(), bootstrap: null, allowPartial: true });
  const t = buildScoreTable(a);
  for (const r of t.rows) {
    // Quality has two of its seven dimensions: partial. Semantic has none, so neither it nor Total exists.
    assert.equal(r.cells.quality!.status, 'partial');
    assert.equal(r.cells.quality!.rank, null);
    assert.equal(r.cells.semantic!.status, 'refused');
    assert.equal(r.cells.total!.status, 'refused');
  }
  const md = markdownReport(a, t);
  assert.match(md, /‡ Quality Score \(alpha, beta, gamma\): PARTIAL/);
  assert.match(md, /\| alpha \| n\/a \| -?\d+\.\d\d‡ \| n\/a \|/);
  assert.match(md, /n\/a Total Score \(alpha, beta, gamma\): not computed even with --allow-partial/);
});

test('published baselines join the table, marked †, and take part in the ranking', () => {
  const a = analyzeRuns({ runs: vbenchRuns(), baselines: ['nova'], bootstrap: null });
  const t = buildScoreTable(a);
  const nova = t.rows.find((r) => r.entry.kind === 'published')!;
  assert.equal(nova.cells.total!.text, '80.12');
  assert.equal(nova.cells.total!.rank, null); // the only Total value in the column
  const md = markdownReport(a, t);
  assert.match(md, /\| NOVA-0\.6B T2V \(nova-d48w1024-osp480\) † \| 80\.12 \| — \| — \| — \| — \|/);
  assert.match(md, /## Sources of published numbers[\s\S]*baaivision\/NOVA/);
});

test('GenEval: six tasks + Overall (mean of the tasks), fractions with two decimals, ranked against the paper', () => {
  const w = mkdtempSync(join(tmpdir(), 'gb-geneval-'));
  const tasks = (k: number) => [true, true, true, true].map((_, i) => i < k);
  // 4/4, 3/4, 2/4, 1/4, 0/4, 2/4 → Overall (1 + .75 + .5 + .25 + 0 + .5) / 6 = 0.5
  const run = writeSyntheticRun(join(w, 'mine'), {
    suite: 'geneval',
    dimensions: Object.fromEntries(
      (
        [
          ['single_object', 4],
          ['two_object', 3],
          ['counting', 2],
          ['colors', 1],
          ['position', 0],
          ['color_attr', 2],
        ] as const
      ).map(([id, k]) => [id, tasks(k).map((v, i) => ({ prompt: `${id} ${i >> 1}`, index: i & 1, value: v }))]),
    ),
  });
  const a = analyzeRuns({ runs: [run], baselines: ['geneval-paper'], bootstrap: null });
  const t = buildScoreTable(a);
  const mine = t.rows[0]!;
  assert.equal(mine.cells.overall!.value, 0.5);
  assert.deepEqual(
    ['overall', 'single_object', 'two_object', 'counting', 'colors', 'position', 'color_attr'].map((c) => mine.cells[c]!.text),
    ['0.50', '1.00', '0.75', '0.50', '0.25', '0.00', '0.50'],
  );
  const md = markdownReport(a, t);
  assert.match(md, /\| Model \| Overall \| Single object \| Two object \| Counting \| Colors \| Position \| Color attribution \|/);
  // Per column (mine vs the paper's six models):
  //   Overall: IF-XL 0.61 best, SDXL 0.55 second (mine 0.50 ties SD v2.1, unmarked)
  //   Single object: mine 1.00 best; SD v2.1 and SDXL 0.98 share second
  //   Two object: mine 0.75 best; SDXL and IF-XL 0.74 share second
  //   Counting: IF-XL 0.66 best, mine 0.50 second · Colors: SD v2.1 and SDXL 0.85 best, IF-XL 0.81 second
  //   Position: SDXL 0.15 best, IF-XL 0.13 second · Color attribution: mine 0.50 best, IF-XL 0.35 second
  assert.match(md, /\| mine \| 0\.50 \| \*\*1\.00\*\* \| \*\*0\.75\*\* \| <ins>0\.50<\/ins> \| 0\.25 \| 0\.00 \| \*\*0\.50\*\* \|/);
  assert.match(md, /\| Stable Diffusion v2\.1 † \| 0\.50 \| <ins>0\.98<\/ins> \| 0\.51 \| 0\.44 \| \*\*0\.85\*\* \| 0\.07 \| 0\.17 \|/);
  assert.match(md, /\| Stable Diffusion XL † \| <ins>0\.55<\/ins> \| <ins>0\.98<\/ins> \| <ins>0\.74<\/ins> \| 0\.39 \| \*\*0\.85\*\* \| \*\*0\.15\*\* \| 0\.23 \|/);
  assert.match(md, /\| IF-XL † \| \*\*0\.61\*\* \| 0\.97 \| <ins>0\.74<\/ins> \| \*\*0\.66\*\* \| <ins>0\.81<\/ins> \| <ins>0\.13<\/ins> \| <ins>0\.35<\/ins> \|/);
});

/** Structure checks a LaTeX compiler would enforce on this subset. */
function checkLatexShape(tex: string): void {
  const code = tex
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('%'))
    .join('\n')
    .replace(/\\[{}&%$#_]/g, '');
  let depth = 0;
  for (const ch of code) {
    if (ch === '{') depth += 1;
    if (ch === '}') depth -= 1;
    assert.ok(depth >= 0, 'closing brace without opening');
  }
  assert.equal(depth, 0, 'unbalanced braces');
  const stack: string[] = [];
  for (const m of code.matchAll(/\\(begin|end)\{([^}]+)\}/g)) {
    if (m[1] === 'begin') stack.push(m[2]!);
    else assert.equal(stack.pop(), m[2], `\\end{${m[2]}} does not close the open environment`);
  }
  assert.deepEqual(stack, []);
  // Every row of every tabular has as many cells as the column spec says.
  for (const m of code.matchAll(/\\begin\{tabular\}\{([lrc]+)\}([\s\S]*?)\\end\{tabular\}/g)) {
    const cols = m[1]!.length;
    for (const line of m[2]!.split('\n')) {
      if (!line.trim().endsWith('\\\\')) continue;
      const spans = [...line.matchAll(/\\multicolumn\{(\d+)\}/g)].reduce((s, x) => s + Number(x[1]) - 1, 0);
      assert.equal(line.split('&').length + spans, cols, `row "${line}" has the wrong number of cells`);
    }
  }
  assert.match(code, /\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
}

test('LaTeX: booktabs, balanced, one cell per column, bold/underline, specials escaped', () => {
  const w = mkdtempSync(join(tmpdir(), 'gb-tex-'));
  const weird = writeSyntheticRun(join(w, 'a_b%c&d#e'), { mode: 'custom', dimensions: { temporal_flickering: same('p', [0.5, 0.6]) } });
  const plain = writeSyntheticRun(join(w, 'plain'), { mode: 'custom', dimensions: { temporal_flickering: same('p', [0.7, 0.7]) } });
  const a = analyzeRuns({ runs: [weird, plain], baselines: ['nova'], bootstrap: { resamples: 50, seed: 1, confidence: 0.95 } });
  const tex = latexReport(a, buildScoreTable(a));
  checkLatexShape(tex);
  assert.match(tex, /a\\_b\\%c\\&d\\#e & n\/a & n\/a & n\/a & \\underline\{55\.00\}/);
  assert.match(tex, /plain & n\/a & n\/a & n\/a & \\textbf\{70\.00\}/);
  assert.match(tex, /NOVA-0\.6B T2V \(nova-d48w1024-osp480\)\$\^\\dagger\$ & 80\.12 & -- /);
  assert.match(tex, /\\multicolumn\{3\}\{c\}\{Headline\} & \\multicolumn\{1\}\{c\}\{Quality\}/);
  assert.equal(latexEscape('50% & #1 _x_ {y} ~ ^'), '50\\% \\& \\#1 \\_x\\_ \\{y\\} \\textasciitilde{} \\textasciicircum{}');
});

test('CSV round-trips: full-precision values, printed values, marks and intervals come back unchanged', () => {
  const a = analyzeRuns({ runs: vbenchRuns(), baselines: ['nova'], bootstrap: { resamples: 100, seed: 3, confidence: 0.95 } });
  const t = buildScoreTable(a);
  const rows = csvRecords(csvReport(a, t));
  let checked = 0;
  for (const r of t.rows) {
    for (const c of t.columns) {
      const cell = r.cells[c.id]!;
      const back = rows.find((x) => x.model === r.entry.label && x.score_id === c.id);
      if (cell.status === 'missing') {
        assert.equal(back, undefined);
        continue;
      }
      assert.ok(back, `${r.entry.label}/${c.id} missing from CSV`);
      assert.equal(back.value === '' ? null : Number(back.value), cell.value);
      assert.equal(back.printed, cell.text);
      assert.equal(back.rank, cell.rank ?? '');
      assert.equal(back.status, cell.status);
      if (cell.interval) {
        assert.equal(Number(back.ci_low), cell.interval.low);
        assert.equal(Number(back.ci_high), cell.interval.high);
      }
      checked += 1;
    }
  }
  assert.equal(rows.length, checked);
  assert.ok(checked >= 16);
});
