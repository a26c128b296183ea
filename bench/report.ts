/**
 * Benchmark of `genbench report` on 5 synthetic VBench runs of the full standard prompt suite:
 * 946 prompts × 5 videos = 4,730 videos per run, each scored on the dimensions its prompt is tagged
 * with in VBench_full_info.json (6,810 records per run). Prints the time of each stage and the total.
 *
 *   node --import tsx bench/report.ts [--resamples 1000] [--runs 5]
 *
 * Uses the pinned vbench/vbench/VBench_full_info.json when present in GENBENCH_TEST_PROMPTS_DIR or the
 * prompt cache (tests/helpers/upstream-files.ts; the real prompt→dimension map), otherwise spreads
 * 946 prompts over the 16 dimensions evenly.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRuns, renderCharts, writeReport } from '../src/report/build-report.ts';
import { buildScoreTable } from '../src/report/tables/score-table.ts';
import { markdownReport } from '../src/report/tables/markdown-table.ts';
import { Prng } from '../src/report/stats/prng.ts';
import { VBENCH_DIMENSIONS } from '../src/suites/vbench/constants.ts';
import { writeSyntheticRun, type SyntheticSample } from '../tests/report/helpers/synthetic-runs.ts';
import { upstreamFilePath } from '../tests/helpers/upstream-files.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const RESAMPLES = arg('--resamples', 1000);
const RUNS = arg('--runs', 5);
const VIDEOS_PER_PROMPT = 5;

function promptDimensions(): { prompt: string; dims: string[] }[] {
  const info = upstreamFilePath('vbench/vbench/VBench_full_info.json');
  if (info) {
    return (JSON.parse(readFileSync(info, 'utf8')) as { prompt_en: string; dimension: string[] }[]).map((e) => ({ prompt: e.prompt_en, dims: e.dimension }));
  }
  return Array.from({ length: 946 }, (_, i) => ({ prompt: `prompt ${i}`, dims: [VBENCH_DIMENSIONS[i % 16]!.id] }));
}

const entries = promptDimensions();
const dir = mkdtempSync(join(tmpdir(), 'gb-bench-report-'));
const runs: string[] = [];
let records = 0;
for (let r = 0; r < RUNS; r++) {
  const rng = new Prng(r, 'bench');
  const dims: Record<string, SyntheticSample[]> = {};
  for (const e of entries) {
    for (const d of e.dims) {
      const info = VBENCH_DIMENSIONS.find((x) => x.id === d)!;
      const mu = info.min + (0.55 + 0.02 * r) * (info.max - info.min);
      for (let v = 0; v < VIDEOS_PER_PROMPT; v++) {
        (dims[d] ??= []).push({ prompt: e.prompt, index: v, value: Math.min(1, Math.max(0, mu + 0.05 * rng.normal())) });
      }
    }
  }
  records = Object.values(dims).reduce((n, s) => n + s.length, 0);
  runs.push(writeSyntheticRun(join(dir, `model-${r + 1}`), { dimensions: dims }));
}

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
};

const bootstrap = { resamples: RESAMPLES, seed: 1, confidence: 0.95 };
const [analysis, tAnalyze] = time(() => analyzeRuns({ runs, baselines: ['nova'], bootstrap }));
const [table, tTable] = time(() => buildScoreTable(analysis));
const [, tMd] = time(() => markdownReport(analysis, table));
const [charts, tCharts] = time(() => renderCharts(analysis));
const t0 = performance.now();
const { files } = await writeReport({ runs, baselines: ['nova'], out: join(dir, 'report'), bootstrap });
const tTotal = performance.now() - t0;

const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
process.stdout.write(
  [
    `genbench report: ${RUNS} runs × ${entries.length * VIDEOS_PER_PROMPT} videos (${records} records per run, 16 dimensions), ${RESAMPLES} resamples`,
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    `  load + bootstrap intervals + paired differences: ${ms(tAnalyze)}`,
    `  tables: ${ms(tTable + tMd)}`,
    `  charts (${charts.length} PNGs): ${ms(tCharts)}`,
    `  whole command (md, tex, csv, png, html; ${files.length} files): ${ms(tTotal)}`,
    '',
  ].join('\n'),
);
rmSync(dir, { recursive: true, force: true });
