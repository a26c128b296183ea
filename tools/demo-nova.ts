/**
 * The NOVA generation step of `npm run demo`: builds the tiny random-weight checkpoints
 * (tools/fixtures/nova-checkpoint.ts, real Hugging Face layout) and generates with them exactly as
 * `genbench generate --checkpoint-dir …` does (the same runGeneration with the NOVA generator):
 * two VBench prompts as `{prompt}-{i}.mp4` and one GenEval prompt in GenEval's layout. The prompt files come from
 * a --prompts-dir-style folder when GENBENCH_PROMPTS_DIR names one, else from the prompt cache
 * (downloaded when online); with neither, the
 * demo falls back to single `--prompt` runs and says so. Re-running resumes (nothing is redone).
 * Random weights: the pictures are noise-like; the point is that the files are real.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isGenbenchError } from '../src/core/errors.ts';
import { silentProgress } from '../src/core/progress.ts';
import { runGeneration, type GenerateOptions, type GenerateResult } from '../src/generate/generation-run.ts';
import { novaGenerator } from '../src/generate/nova/generator.ts';
import { writeNovaFixtureCheckpoint } from './fixtures/nova-checkpoint.ts';

function promptsDir(): string | undefined {
  const d = process.env.GENBENCH_PROMPTS_DIR;
  return d && existsSync(join(d, 'vbench')) ? d : undefined;
}

/** Generates the demo's NOVA samples under `root/nova`; returns the lines to print. */
export async function demoNovaGeneration(root: string): Promise<string[]> {
  const base = join(root, 'nova');
  const t2v = join(base, 'checkpoint-t2v');
  const t2i = join(base, 'checkpoint-t2i');
  writeNovaFixtureCheckpoint(t2v, { task: 't2v' });
  writeNovaFixtureCheckpoint(t2i, { task: 't2i' });
  const rel = (p: string): string => relative(process.cwd(), p) || '.';
  const lines = [`tiny random-weight NOVA checkpoints (HF layout): ${rel(t2v)} (video, OSP VAE, DDPM), ${rel(t2i)} (image, KL VAE, flow matching)`];
  const common = { generator: novaGenerator, threads: 1, progress: silentProgress(), promptsDir: promptsDir(), command: ['demo'] } satisfies Partial<GenerateOptions>;
  const say = (what: string, r: GenerateResult, t: number) => {
    const secs = r.secondsPerSample === null ? 'nothing to do' : `${r.secondsPerSample.toFixed(2)} s/sample`;
    lines.push(`${what}: ${r.generated} generated, ${r.skipped} already there → ${rel(r.out)}  (${secs}, ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  };
  const video = { arSteps: 16, diffusionSteps: 10, latentFrames: 3, samplesPerPrompt: 2 };
  let t = performance.now();
  try {
    const v = await runGeneration({ ...common, checkpointDir: t2v, suite: 'vbench', limit: 2, out: join(base, 'vbench'), settings: video });
    say('genbench generate --suite vbench --limit 2 --frames 3 --samples 2', v, t);
    t = performance.now();
    const g = await runGeneration({ ...common, checkpointDir: t2i, suite: 'geneval', limit: 1, out: join(base, 'geneval'), settings: { arSteps: 16, diffusionSteps: 10 } });
    say('genbench generate --suite geneval --limit 1', g, t);
  } catch (e) {
    if (!isGenbenchError(e, 'E_DOWNLOAD') && !isGenbenchError(e, 'E_NOT_FOUND')) throw e;
    lines.push(`(benchmark prompt files unavailable offline: ${e.message}; using single prompts instead)`);
    t = performance.now();
    const v = await runGeneration({ ...common, checkpointDir: t2v, prompt: 'a lighthouse on a cliff at dusk', out: join(base, 'prompt-video'), settings: { ...video, samplesPerPrompt: 1 } });
    say('genbench generate --prompt … (video checkpoint)', v, t);
    t = performance.now();
    const g = await runGeneration({ ...common, checkpointDir: t2i, prompt: 'a red cube on a blue sphere', out: join(base, 'prompt-image'), settings: { arSteps: 16, diffusionSteps: 10 } });
    say('genbench generate --prompt … (image checkpoint)', g, t);
  }
  lines.push('each folder has genbench/samples.jsonl (one record per sample: settings, checkpoint file hashes, prompt, seed, noise stream key, timings) and genbench/generation.json');
  return lines;
}
