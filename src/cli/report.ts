import { Command, InvalidArgumentError } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { RunDir } from '../core/run-dir.ts';
import { REPORT_FORMATS, writeReport, type ReportFormat } from '../report/build-report.ts';
import { DEFAULT_BOOTSTRAP } from '../report/stats/bootstrap.ts';
import { parseList, parsePositiveInt, printJson, withExamples } from './common.ts';

function parseFormats(v: string): ReportFormat[] {
  const list = parseList(v);
  for (const f of list) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown format "${f}" (choose from ${REPORT_FORMATS.join(', ')})`);
  }
  return list as ReportFormat[];
}

function collectList(v: string, previous: string[] = []): string[] {
  return [...previous, ...parseList(v)];
}

export function parseConfidence(v: string): number {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a level between 0 and 1, for example 0.95');
  return n;
}

export function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('expected an integer between 0 and 4294967295');
  return n;
}

interface ReportOpts {
  format?: ReportFormat[];
  out?: string;
  baseline?: string[];
  allowPartial?: boolean;
  ci: boolean;
  resamples: number;
  seed: number;
  confidence: number;
  worst: number;
  thumbnails: boolean;
  title?: string;
  json?: boolean;
}

export function reportCommand(): Command {
  const cmd = new Command('report')
    .description(
      'Tables (markdown, LaTeX booktabs, CSV), charts (PNG), and a self-contained HTML report for one or more runs,\n' +
        'side by side with published baselines, with 95 % bootstrap intervals over prompts and paired differences.\n' +
        'One run: written into RUN/report/ unless --out. Several runs: --out is required.',
    )
    .argument('<runs...>', 'run directories (the first is the reference for differences)')
    .option('--baseline <names>', 'published baselines to add (results/baselines): nova, geneval-paper, a model id, all, or a .json file; repeat or comma-separate', collectList)
    .option('--format <list>', `comma-separated formats (default all): ${REPORT_FORMATS.join(', ')}`, parseFormats)
    .option('--out <dir>', 'folder for the report files')
    .option('--allow-partial', 'print headline scores with missing dimensions, computed as the official script does and marked partial')
    .option('--no-ci', 'skip bootstrap intervals and paired differences')
    .option('--resamples <n>', 'bootstrap resamples', parsePositiveInt, DEFAULT_BOOTSTRAP.resamples)
    .option('--seed <n>', 'bootstrap seed', parseSeed, DEFAULT_BOOTSTRAP.seed)
    .option('--confidence <level>', 'interval coverage', parseConfidence, DEFAULT_BOOTSTRAP.confidence)
    .option('--worst <n>', 'worst samples per dimension in the HTML drill-down', (v) => Number.parseInt(v, 10), 5)
    .option('--no-thumbnails', 'no sample previews in the HTML (faster; nothing is decoded)')
    .option('--title <text>', 'report title')
    .option('--json', 'print the written files and warnings as JSON')
    .action(async (runs: string[], opts: ReportOpts) => {
      if (runs.length > 1 && !opts.out) {
        throw new GenbenchError('E_USAGE', `a comparison of ${runs.length} runs needs --out`, 'for example: --out results/compare-a-b');
      }
      const out = opts.out ?? new RunDir(runs[0]!).reportDir;
      const { files, analysis } = await writeReport({
        runs,
        out,
        formats: opts.format,
        baselines: opts.baseline,
        allowPartial: opts.allowPartial,
        bootstrap: opts.ci ? { resamples: opts.resamples, seed: opts.seed, confidence: opts.confidence } : null,
        worst: opts.worst,
        thumbnails: opts.thumbnails,
        title: opts.title,
      });
      if (opts.json) {
        printJson({ out, files, warnings: analysis.warnings });
        return;
      }
      for (const w of analysis.warnings) process.stderr.write(`warning: ${w}\n`);
      for (const f of files) process.stdout.write(`${f}\n`);
    });
  return withExamples(cmd, [
    'genbench report results/run1',
    'genbench report results/nova-fp32 results/nova-fp16 --baseline nova --out results/compare',
    'genbench report results/geneval-run --baseline geneval-paper,nova --format md,tex',
    'genbench report results/run1 --resamples 5000 --seed 7 --out paper/',
  ]);
}
