import { Command, InvalidArgumentError } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { evaluateGate } from '../report/gate/evaluate-gate.ts';
import { gateMarkdown, gateText } from '../report/gate/gate-table.ts';
import { parseMaxDrops } from '../report/gate/thresholds.ts';
import { DEFAULT_BOOTSTRAP } from '../report/stats/bootstrap.ts';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { EXIT, parsePositiveInt, printJson, withExamples } from './common.ts';
import { parseConfidence, parseSeed } from './report.ts';

interface GateOpts {
  baseline?: string;
  candidate?: string;
  maxDrop?: Record<string, number>;
  defaultMaxDrop: number;
  resamples: number;
  seed: number;
  confidence: number;
  allowPartial?: boolean;
  allowSubset?: boolean;
  allowSmoke?: boolean;
  markdown?: string;
  json?: boolean;
}

function parsePoints(v: string): number {
  const n = Number(v);
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a non-negative number of percentage points, for example 0.3');
  return n;
}

function parseDrops(v: string, previous: Record<string, number> = {}): Record<string, number> {
  try {
    return { ...previous, ...parseMaxDrops(v) };
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
}

export function gateCommand(): Command {
  const cmd = new Command('gate')
    .description(
      'CI regression gate: compares a candidate run with a baseline, score by score.\n' +
        'A score fails when it dropped by more than its allowed drop (percentage points) AND the drop is significant\n' +
        '(the paired-bootstrap interval over shared prompts lies below 0).\n' +
        'Exit 0: no such drop · 1: at least one · 2: the runs are not comparable (prompt set, metric model hashes or settings differ,\n' +
        'the scored samples differ — named, unless --allow-subset — or a smoke run is involved).',
    )
    .option('--baseline <run|file>', 'baseline run directory, or its scores.json')
    .option('--candidate <run>', 'candidate run directory')
    .option('--max-drop <DIM=POINTS,…>', 'allowed drop per score, in percentage points (dimension ids, total, quality, semantic, overall); repeatable', parseDrops)
    .option('--default-max-drop <points>', 'allowed drop for scores not named in --max-drop', parsePoints, 0.3)
    .option('--resamples <n>', 'bootstrap resamples', parsePositiveInt, DEFAULT_BOOTSTRAP.resamples)
    .option('--seed <n>', 'bootstrap seed', parseSeed, DEFAULT_BOOTSTRAP.seed)
    .option('--confidence <level>', 'interval coverage for significance', parseConfidence, DEFAULT_BOOTSTRAP.confidence)
    .option('--allow-partial', 'gate headline scores even when dimensions are missing (marked partial)')
    .option('--allow-subset', 'when the runs scored different samples, compare on the samples both scored (both sides recomputed on them) instead of exit 2')
    .option('--allow-smoke', 'gate two smoke runs (fixture models) against each other as a pipeline check (marked SMOKE); a smoke run is never gated against a real one')
    .option('--markdown <file>', 'also write the table as markdown (for $GITHUB_STEP_SUMMARY or a PR comment)')
    .option('--json', 'print the result as JSON instead of the table')
    .action(async (opts: GateOpts) => {
      if (!opts.baseline || !opts.candidate) {
        throw new GenbenchError('E_USAGE', 'gate needs --baseline and --candidate', 'for example: genbench gate --baseline results/main --candidate results/pr-123');
      }
      const r = await evaluateGate({
        baseline: opts.baseline,
        candidate: opts.candidate,
        maxDrop: opts.maxDrop ?? {},
        defaultMaxDrop: opts.defaultMaxDrop,
        bootstrap: { resamples: opts.resamples, seed: opts.seed, confidence: opts.confidence },
        allowPartial: opts.allowPartial ?? false,
        allowSubset: opts.allowSubset ?? false,
        allowSmoke: opts.allowSmoke ?? false,
      });
      if (opts.markdown) writeFileAtomic(opts.markdown, gateMarkdown(r));
      if (opts.json) printJson(r);
      else process.stdout.write(gateText(r));
      process.exitCode = r.exitCode === 2 ? EXIT.notComparable : r.exitCode === 1 ? EXIT.failed : EXIT.ok;
    });
  return withExamples(cmd, [
    'genbench gate --baseline results/main --candidate results/pr-123',
    'genbench gate --baseline results/main/scores.json --candidate results/pr-123 --default-max-drop 0.5',
    'genbench gate --baseline results/main --candidate results/pr-123 --max-drop dynamic_degree=2,total=0.2 --markdown "$GITHUB_STEP_SUMMARY"',
    'genbench gate --baseline results/main --candidate results/pr-quick --allow-subset   # a candidate that scored only some of the videos',
  ]);
}
