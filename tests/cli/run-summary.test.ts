import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { printRunSummary } from '../../src/cli/run-summary.ts';
import type { ScoresFile } from '../../src/core/scores-file.ts';

function capture(fn: () => void): string {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

function scores(suite: string): ScoresFile {
  return { schema: 1, suite, mode: 'custom', dimensions: {}, headline: {}, errors: 0, smoke: false };
}

test('the summary names the files the suite really writes (a merged GenEval run has results.jsonl, no vbench_eval_results.json)', () => {
  const root = join('results', 'merged');
  const geneval = capture(() => printRunSummary(root, scores('geneval'), []));
  assert.match(geneval, new RegExp(`official format: ${join(root, 'results.jsonl').replace(/[.]/g, '\\.')}`));
  assert.doesNotMatch(geneval, /vbench_eval_results/);
  const vbench = capture(() => printRunSummary(root, scores('vbench'), []));
  assert.match(vbench, /VBench format: .*vbench_eval_results\.json/);
});
