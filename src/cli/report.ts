import { Command, InvalidArgumentError } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { REPORT_FORMATS, writeRunReport, type ReportFormat } from '../report/write-report.ts';
import { notImplemented, parseList, withExamples } from './common.ts';

function parseFormats(v: string): ReportFormat[] {
  const list = parseList(v);
  for (const f of list) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      throw new InvalidArgumentError(`unknown format "${f}" (available now: ${REPORT_FORMATS.join(', ')}; tex, html, png come with the reports issue)`);
    }
  }
  return list as ReportFormat[];
}

export function reportCommand(): Command {
  const cmd = new Command('report')
    .description('Write a run\'s scores as a markdown table and CSV (into RUN/report/ unless --out)')
    .argument('<runs...>', 'run directories')
    .option('--format <list>', `comma-separated formats: ${REPORT_FORMATS.join(', ')}`, parseFormats)
    .option('--out <dir>', 'folder for the report files (one run only)')
    .option('--baseline <names>', 'published baselines to compare with (comes with the reports issue)')
    .action((runs: string[], opts: { format?: ReportFormat[]; out?: string; baseline?: string }) => {
      if (opts.baseline) notImplemented('--baseline (published baselines)', 'the reports issue');
      if (runs.length > 1) notImplemented('comparing several runs in one report', 'the reports issue');
      if (runs.length === 0) throw new GenbenchError('E_USAGE', 'give a run directory');
      for (const p of writeRunReport(runs[0]!, { formats: opts.format, out: opts.out })) process.stdout.write(`${p}\n`);
    });
  return withExamples(cmd, ['genbench report results/run1', 'genbench report results/run1 --format md --out ./paper']);
}
