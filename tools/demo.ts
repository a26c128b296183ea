/**
 * `npm run demo`: the whole pipeline offline on the embedded default — sample videos made with
 * ffmpeg's test sources and GenEval sample images drawn for a few prompts of the demo's own, the project's own
 * fixture models, `genbench bench` on both suites, the reports. Re-running resumes (nothing already
 * scored is redone).
 *
 * appearance_style exists in VBench's standard mode only (the official code refuses it for custom
 * input): the demo scores it when VBench's pinned prompt file is at hand, offline — `--prompts-dir DIR`
 * or the user's prompt cache (`genbench prompts fetch`) — and says why it is skipped otherwise.
 *
 *   npm run demo [-- --out results/demo] [--prompts-dir DIR]
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { main } from '../src/cli/main.ts';
import { toolInfo } from '../src/core/tool-info.ts';
import { makeSampleVideos } from './fixtures/sample-videos.ts';
import { prepareDemoModels } from './demo-models.ts';
import { demoNovaGeneration } from './demo-nova.ts';
import { makeGenevalSamples } from './fixtures/geneval-samples.ts';
import { promptsCacheDir } from '../src/core/paths.ts';
import { loadPromptFile } from '../src/prompts/prompt-files.ts';
import { parseFullInfo } from '../src/suites/vbench/standard-samples.ts';

/** One prompt of the demo's own per GenEval task, in GenEval's metadata format (tag, include[, exclude], prompt). */
const DEMO_GENEVAL_PROMPTS: readonly string[] = [
  { tag: 'single_object', include: [{ class: 'cup', count: 1 }], prompt: 'a photo of a cup' },
  { tag: 'two_object', include: [{ class: 'kite', count: 1 }, { class: 'umbrella', count: 1 }], prompt: 'a photo of a kite and an umbrella' },
  { tag: 'counting', include: [{ class: 'apple', count: 3 }], exclude: [{ class: 'apple', count: 4 }], prompt: 'a photo of three apples' },
  { tag: 'colors', include: [{ class: 'car', count: 1, color: 'green' }], prompt: 'a photo of a green car' },
  { tag: 'position', include: [{ class: 'chair', count: 1 }, { class: 'bottle', count: 1, position: ['left of', 0] }], prompt: 'a photo of a bottle left of a chair' },
  { tag: 'color_attr', include: [{ class: 'bus', count: 1, color: 'yellow' }, { class: 'bench', count: 1, color: 'red' }], prompt: 'a photo of a yellow bus and a red bench' },
].map((m) => JSON.stringify(m));

const outArg = process.argv.indexOf('--out');
const promptsArg = process.argv.indexOf('--prompts-dir');
// The user's prompt cache, read before the demo points GENBENCH_HOME at its own folder.
const userPromptsCache = promptsCacheDir();
const root = resolve(outArg > 0 ? process.argv[outArg + 1]! : 'results/demo');
const rel = (p: string): string => relative(process.cwd(), p) || '.';
const say = (s: string): void => void process.stdout.write(`${s}\n`);

say('genbench demo — offline, on generated sample videos and tiny fixture models');
say('');
say('1/7 sample videos (ffmpeg test sources: static and moving, h264/mpeg4/mjpeg/gif)');
const samplesDir = join(root, 'samples');
const videos = await makeSampleVideos(samplesDir);
for (const v of videos) say(`    ${v.name}  (${v.recipe.note})`);

say('2/7 fixture models (random weights, real input/output signatures), imported and verified');
process.env.GENBENCH_HOME ??= join(root, 'home');
for (const line of await prepareDemoModels(root)) say(`    ${line}`);

say('3/7 genbench bench --suite vbench --model folder:… --mode custom');
const runDir = join(root, 'run');
const genevalRunDir = join(root, 'geneval-run');
// A run left by another version of genbench may have other settings (a real run would refuse to
// mix them); the demo's own scratch run simply starts over then, and resumes otherwise.
const runJson = join(runDir, 'run.json');
if (existsSync(runJson)) {
  const prov = JSON.parse(readFileSync(runJson, 'utf8')) as { tool?: { version?: string; gitCommit?: string | null } };
  const now = toolInfo();
  if (prov.tool?.version !== now.version || prov.tool?.gitCommit !== now.gitCommit) {
    say('    (an earlier demo run from another genbench version is replaced)');
    rmSync(runDir, { recursive: true, force: true });
    rmSync(genevalRunDir, { recursive: true, force: true });
  }
}
// The .gif sample is refused by motion_smoothness and dynamic_degree, as the official code refuses
// non-.mp4 files: those two error records are expected, so the demo accepts them.
await main(['node', 'genbench', 'bench', '--suite', 'vbench', '--model', `folder:${samplesDir}`, '--mode', 'custom', '--fixture-models', '--allow-errors', '--out', runDir]);
let code = process.exitCode ?? 0;

say('3b  appearance_style (VBench standard mode only: each prompt\'s style phrase from VBench_full_info.json)');
code ||= await demoAppearanceStyle();

say('4/7 GenEval sample folder (official layout; the demo\'s own prompts, one per task, 2 images each, drawn as coloured shapes)');
// The demo's own prompts in GenEval's metadata format (not the pinned benchmark prompts, so nothing
// is downloaded): the run scores each folder's metadata.jsonl, as the official evaluator does, and
// records that the pinned-prompt checks were skipped (--folder-prompts).
const genevalDir = join(root, 'geneval-samples');
const folders = await makeGenevalSamples({ dir: genevalDir, metadataLines: DEMO_GENEVAL_PROMPTS, indices: DEMO_GENEVAL_PROMPTS.map((_, i) => i), imagesPerPrompt: 2, size: 192 });
say(`    ${folders.length} prompt folders in ${rel(genevalDir)}: ${folders.join(', ')}`);

say('5/7 genbench bench --suite geneval --model folder:… --folder-prompts (a partial set: --allow-partial)');
process.exitCode = 0;
await main(['node', 'genbench', 'bench', '--suite', 'geneval', '--model', `folder:${genevalDir}`, '--fixture-models', '--folder-prompts', '--allow-partial', '--out', genevalRunDir]);
code ||= process.exitCode ?? 0;

say('6/7 NOVA generation over ONNX Runtime (tiny random-weight checkpoints in the Hugging Face layout)');
for (const line of await demoNovaGeneration(root)) say(`    ${line}`);

say('7/7 reports');
const styleRun = join(root, 'style-run');
if (existsSync(join(styleRun, 'scores.json'))) say(`    appearance_style run: ${rel(styleRun)}  (standard mode)`);
const report = join(runDir, 'report');
say(`    VBench run:    ${rel(runDir)}  (run.json provenance, records/*.jsonl, scores.json, vbench_eval_results.json)`);
say(`    report:        ${rel(report)}${existsSync(join(report, 'report.html')) ? `  (open ${rel(join(report, 'report.html'))})` : ''}`);
say(`    GenEval run:   ${rel(genevalRunDir)}  (results.jsonl in the official format, summary.txt, scores.json)`);
say(`    report:        ${rel(join(genevalRunDir, 'report'))}`);
say('');
say('What these numbers are: temporal flickering needs no model, so its score is real and equals the');
say('official VBench code on these videos. Every dimension scored with fixture models (random weights)');
say('is a SMOKE score: it proves the pipeline runs, not how good a video is. The .gif sample gets an');
say('error record in motion_smoothness and dynamic_degree, which (like the official code) read only .mp4.');
say('appearance_style runs in standard mode only (as VBench): its videos carry VBench prompt names, and');
say('it is skipped when VBench_full_info.json is not at hand offline.');
say('GenEval scores with a random-weight detector are smoke scores too (it rarely finds what a prompt asks');
say('for); the run shows the layout checks, the detector and CLIP plumbing and the official output files.');
say('The NOVA checkpoints have random weights: their videos and images are noise, but they are real files');
say('made by the whole generation loop (text encoder, temporal and spatial steps, diffusion head, VAE).');
process.exitCode = code;

/**
 * appearance_style on the sample videos named after the first appearance_style prompts of the pinned
 * VBench_full_info.json (a partial standard-mode set), when that file is available offline.
 */
async function demoAppearanceStyle(): Promise<number> {
  const FULL_INFO = 'vbench/vbench/VBench_full_info.json';
  const promptsDir = promptsArg > 0 ? resolve(process.argv[promptsArg + 1]!) : existsSync(join(userPromptsCache, 'VBench_full_info.json')) ? userPromptsCache : undefined;
  if (!promptsDir) {
    say('    skipped: VBench_full_info.json is not here offline (run `genbench prompts fetch VBench_full_info.json`, or pass --prompts-dir DIR)');
    return 0;
  }
  let entries;
  try {
    const file = await loadPromptFile(FULL_INFO, { promptsDir });
    entries = parseFullInfo(file.text, file.path).filter((e) => e.dimension.includes('appearance_style')).slice(0, 3);
  } catch (e) {
    say(`    skipped: ${(e as Error).message}`);
    return 0;
  }
  const dir = join(root, 'style-samples');
  mkdirSync(dir, { recursive: true });
  const mp4 = videos.filter((v) => v.name.endsWith('.mp4'));
  entries.forEach((e, i) => copyFileSync(mp4[i % mp4.length]!.path, join(dir, `${e.prompt_en}-0.mp4`)));
  say(`    ${entries.length} sample videos named after appearance_style prompts in ${rel(dir)} (a partial set: --allow-partial)`);
  process.exitCode = 0;
  await main(['node', 'genbench', 'evaluate', '--suite', 'vbench', '--mode', 'standard', '--videos', dir, '--dimensions', 'appearance_style', '--prompts-dir', promptsDir, '--fixture-models', '--allow-partial', '--out', join(root, 'style-run')]);
  return process.exitCode ?? 0;
}
