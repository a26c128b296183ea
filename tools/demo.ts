/**
 * `npm run demo`: the whole pipeline offline on the embedded default — sample videos made with
 * ffmpeg's test sources, the project's own fixture models, `genbench bench` on them, the report.
 * Re-running resumes (nothing already scored is redone).
 *
 *   npm run demo [-- --out results/demo]
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { main } from '../src/cli/main.ts';
import { toolInfo } from '../src/core/tool-info.ts';
import { makeSampleVideos } from './fixtures/sample-videos.ts';
import { prepareDemoModels } from './demo-models.ts';

const outArg = process.argv.indexOf('--out');
const root = resolve(outArg > 0 ? process.argv[outArg + 1]! : 'results/demo');
const rel = (p: string): string => relative(process.cwd(), p) || '.';
const say = (s: string): void => void process.stdout.write(`${s}\n`);

say('genbench demo — offline, on generated sample videos and tiny fixture models');
say('');
say('1/4 sample videos (ffmpeg test sources: static and moving, h264/mpeg4/mjpeg/gif)');
const samplesDir = join(root, 'samples');
const videos = await makeSampleVideos(samplesDir);
for (const v of videos) say(`    ${v.name}  (${v.recipe.note})`);

say('2/4 fixture models (random weights, real input/output signatures), imported and verified');
process.env.GENBENCH_HOME ??= join(root, 'home');
for (const line of await prepareDemoModels(root)) say(`    ${line}`);

say('3/4 genbench bench --suite vbench --model folder:… --mode custom');
const runDir = join(root, 'run');
// A run left by another version of genbench may have other settings (a real run would refuse to
// mix them); the demo's own scratch run simply starts over then, and resumes otherwise.
const runJson = join(runDir, 'run.json');
if (existsSync(runJson)) {
  const prov = JSON.parse(readFileSync(runJson, 'utf8')) as { tool?: { version?: string; gitCommit?: string | null } };
  const now = toolInfo();
  if (prov.tool?.version !== now.version || prov.tool?.gitCommit !== now.gitCommit) {
    say('    (an earlier demo run from another genbench version is replaced)');
    rmSync(runDir, { recursive: true, force: true });
  }
}
// The .gif sample is refused by motion_smoothness and dynamic_degree, as the official code refuses
// non-.mp4 files: those two error records are expected, so the demo accepts them.
await main(['node', 'genbench', 'bench', '--suite', 'vbench', '--model', `folder:${samplesDir}`, '--mode', 'custom', '--fixture-models', '--allow-errors', '--out', runDir]);
const code = process.exitCode ?? 0;

say('4/4 report');
const report = join(runDir, 'report');
say(`    run directory: ${rel(runDir)}  (run.json provenance, records/*.jsonl, scores.json, vbench_eval_results.json)`);
say(`    report:        ${rel(report)}${existsSync(join(report, 'report.html')) ? `  (open ${rel(join(report, 'report.html'))})` : ''}`);
say('');
say('What these numbers are: temporal flickering needs no model, so its score is real and equals the');
say('official VBench code on these videos. Every dimension scored with fixture models (random weights)');
say('is a SMOKE score: it proves the pipeline runs, not how good a video is. The .gif sample gets an');
say('error record in motion_smoothness and dynamic_degree, which (like the official code) read only .mp4.');
process.exitCode = code;
