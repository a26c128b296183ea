import { Command } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { mergeShards } from '../suites/merge-registry.ts';
import { EXIT, printJson, withExamples } from './common.ts';
import { printRunSummary } from './run-summary.ts';

export function mergeCommand(): Command {
  const cmd = new Command('merge')
    .description('Merge the shard runs of one evaluation (--shard I/N, VBench or GenEval) into one run; refuses shards that differ (exit 2), overlap or leave gaps (exit 1)')
    .argument('<shards...>', 'shard run directories')
    .requiredOption('--out <dir>', 'merged run directory (must be new or empty)')
    .option('--allow-errors', 'exit 0 even when some samples have error records')
    .option('--json', 'print the merged scores as JSON')
    .action(async (shards: string[], opts: { out: string; allowErrors?: boolean; json?: boolean }) => {
      if (shards.length === 0) throw new GenbenchError('E_USAGE', 'give the shard run directories to merge');
      const r = await mergeShards(shards, opts.out);
      if (opts.json) printJson({ run: r.run.root, ...r.scores });
      else printRunSummary(r.run.root, r.scores, r.errorRecords);
      process.exitCode = r.errorRecords.length > 0 && !opts.allowErrors ? EXIT.sampleErrors : EXIT.ok;
    });
  return withExamples(cmd, [
    'genbench merge results/run-shard1 results/run-shard2 results/run-shard3 --out results/run',
    'genbench merge results/shards/* --out results/run --json',
  ]);
}
