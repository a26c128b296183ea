/**
 * Child process for the resume tests: evaluates a folder with a test dimension whose answer is
 * known (mean byte value of each file), slowly, logging every scoreSample call to a file.
 * argv: samplesDir outDir callsLog delayMs [shard]
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { silentProgress } from '../../src/core/progress.ts';
import { parseShard } from '../../src/core/shard.ts';
import { listCustomSamples } from '../../src/suites/vbench/custom-samples.ts';
import { evaluateVbench } from '../../src/suites/vbench/evaluate.ts';
import { byteMeanDimension } from './byte-mean-dimension.ts';

const [samplesDir, outDir, callsLog, delayMs, shard] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const dim = byteMeanDimension(async (path) => {
  appendFileSync(callsLog, `${path}\n`);
  await new Promise((r) => setTimeout(r, Number(delayMs)));
  return readFileSync(path);
});
const { samples } = await listCustomSamples(samplesDir);
await evaluateVbench({
  out: outDir,
  mode: 'custom',
  samples,
  dimensions: [dim],
  models: {},
  device: 'cpu',
  concurrency: 1,
  shard: shard ? parseShard(shard) : undefined,
  progress: silentProgress(),
  command: ['test'],
});
