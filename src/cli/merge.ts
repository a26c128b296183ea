import { Command } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { loadShardSet, mergeSuiteShards, type MergedRun } from '../core/merge-shards.ts';
import { findSuite, suiteIds } from '../suites/registry.ts';
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

/** The shards' suite, looked up by the id their run.json names; every suite merges the same way. */
export async function mergeShards(dirs: string[], out: string): Promise<MergedRun> {
  const set = loadShardSet(dirs);
  const id = set.shards[0]!.provenance.suite;
  const suite = findSuite(id);
  if (!suite) throw new GenbenchError('E_MERGE', `no merge for suite "${id}"`, `known suites: ${suiteIds().join(', ')}`);
  return mergeSuiteShards(suite, set, out);
}
