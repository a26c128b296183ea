/**
 * Generation settings for NOVA, with the defaults of NOVA's own evaluation scripts (spec §5.2,
 * §5.3: evaluations/{vbench,geneval}/sample.py at 2cd254a) and validation that fails with a
 * named GenbenchError before any model is loaded.
 *
 * Prompt variants: NOVA's evaluations/{vbench,geneval}/prompts.json hold, per entry, `prompt` —
 * the benchmark's own prompt (VBench: the 946 lines of all_dimension.txt, grouped by tag;
 * GenEval: the 553 metadata prompts in metadata order) — and `dense_prompt`, an LLM-rewritten,
 * much longer description (VBench ≈ 101 words on average, GenEval ≈ 162). `original` uses
 * `prompt`, `rewritten` uses `dense_prompt`. NOVA's docs do not say which variant produced its
 * reported scores (their sample commands use the original prompts), so the variant is recorded
 * with every sample. Samples are always NAMED after the original prompt (the benchmarks look
 * them up by it).
 */
import { z } from 'zod';
import { GenbenchError } from '../../core/errors.ts';
import type { GeneratorInfo } from '../../core/provenance.ts';
import type { GenerationSuite, PromptVariant } from '../../prompts/prompt-sets.ts';
import { SAMPLE_LAYOUTS } from '../outputs/sample-layouts.ts';
import type { NovaCheckpoint } from './checkpoints.ts';

/** NOVA's evaluation defaults (evaluations/*\/sample.py CLI defaults and documented commands). */
export const NOVA_EVAL_DEFAULTS = {
  seed: 1337,
  guidanceScale: 7,
  guidanceTrunc: 0,
  guidanceRenorm: 1,
  arSteps: 128,
  diffusionSteps: 25,
  motionFlow: 5,
  negativePrompt: '',
  promptVariant: 'original' as PromptVariant,
  vbench: { latentFrames: 9, samplesPerPrompt: 5, fps: 12 },
  geneval: { latentFrames: 1, samplesPerPrompt: 4 },
} as const;

/** Latent frames and samples per prompt of NOVA's evaluation script for each benchmark; a one-prompt run (no entry) makes one sample of one latent frame (the generator asks 9 of a video checkpoint). */
const SUITE_DEFAULTS: Partial<Record<GenerationSuite, { latentFrames: number; samplesPerPrompt: number }>> = {
  vbench: NOVA_EVAL_DEFAULTS.vbench,
  geneval: NOVA_EVAL_DEFAULTS.geneval,
};

const int = (min: number, max: number, what: string) =>
  z.number({ error: `${what} must be a number` }).int(`${what} must be an integer`).min(min, `${what} must be ≥ ${min}`).max(max, `${what} must be ≤ ${max}`);

/** What a caller (CLI flags, a config file) may set; every field optional. */
export const GenerationSettingsInputSchema = z.strictObject({
  seed: int(0, Number.MAX_SAFE_INTEGER, 'seed').optional(),
  guidanceScale: z.number().min(0, 'guidance scale must be ≥ 0').max(50, 'guidance scale must be ≤ 50').optional(),
  guidanceTrunc: z.number().min(0, 'guidance truncation must be ≥ 0').max(1000, 'guidance truncation must be ≤ 1000').optional(),
  guidanceRenorm: z.number().gt(0, 'guidance renorm must be > 0').max(1, 'guidance renorm must be ≤ 1').optional(),
  arSteps: int(1, 1024, 'AR steps').optional(),
  diffusionSteps: int(1, 1000, 'diffusion steps').optional(),
  motionFlow: z.number().gt(0, 'motion flow must be > 0').max(100, 'motion flow must be ≤ 100').optional(),
  flowShift: z.number().gt(0, 'flow shift must be > 0').max(100, 'flow shift must be ≤ 100').optional(),
  latentFrames: int(1, 65, 'latent frames').optional(),
  fps: int(1, 120, 'fps').optional(),
  samplesPerPrompt: int(1, 1000, 'samples per prompt').optional(),
  negativePrompt: z.string().optional(),
  promptVariant: z.enum(['original', 'rewritten'], { error: 'prompt variant must be original or rewritten' }).optional(),
});
export type GenerationSettingsInput = z.input<typeof GenerationSettingsInputSchema>;

export interface GenerationSettings {
  checkpoint: string;
  suite: GenerationSuite;
  seed: number;
  guidanceScale: number;
  guidanceTrunc: number;
  guidanceRenorm: number;
  arSteps: number;
  diffusionSteps: number;
  /** Motion flow token (video checkpoints only; null for image checkpoints). */
  motionFlow: number | null;
  /** Pipeline flow_shift (flow-matching checkpoints only); null = the config's shift. */
  flowShift: number | null;
  latentFrames: number;
  /** Decoded frames: 1 + 4(T − 1) with the causal video VAE, 1 for images. */
  frames: number;
  /** Output video frame rate (null for images). */
  fps: number | null;
  samplesPerPrompt: number;
  negativePrompt: string;
  promptVariant: PromptVariant;
  height: number;
  width: number;
}

/**
 * Frames the video VAE decodes from T latents: tiles of 5 latents overlapping by 1, only complete
 * tiles (spec §4.9). T values whose trailing latents the official decoder drops are refused.
 */
export function decodedFrames(latentFrames: number): number {
  if (latentFrames <= 5 || (latentFrames - 1) % 4 === 0) return 1 + 4 * (latentFrames - 1);
  throw new GenbenchError(
    'E_USAGE',
    `${latentFrames} latent frames: the video VAE decodes tiles of 5 latents overlapping by 1 and would drop the last ${(latentFrames - 1) % 4}`,
    'use 1–5 latent frames or 1 + 4k (9 → 33 frames, 13 → 49)',
  );
}

/** Validated settings for a checkpoint and suite (defaults filled in); errors name the bad field. */
export function resolveGenerationSettings(input: unknown, checkpoint: NovaCheckpoint, suite: GenerationSuite): GenerationSettings {
  const r = GenerationSettingsInputSchema.safeParse(input ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new GenbenchError('E_USAGE', `generation setting ${i.path.join('.') || '(settings)'}: ${i.message}`, 'see `genbench generate --help` for the accepted ranges');
  }
  const s = r.data;
  const video = checkpoint.task === 't2v';
  // What the suite scores (its sample layout) and what NOVA's evaluation script for it used.
  const layout = SAMPLE_LAYOUTS[suite];
  const D = NOVA_EVAL_DEFAULTS;
  const evalDefaults = SUITE_DEFAULTS[suite] ?? { latentFrames: 1, samplesPerPrompt: 1 };
  if (layout.media === 'video' && !video) throw new GenbenchError('E_USAGE', `${checkpoint.id} is a text-to-image checkpoint; ${layout.name} needs videos`, `use --model nova-osp480 for --suite ${suite}`);
  const latentFrames = s.latentFrames ?? evalDefaults.latentFrames;
  if (!video && latentFrames !== 1) throw new GenbenchError('E_USAGE', `${checkpoint.id} generates images: latent frames must be 1, got ${latentFrames}`);
  if (layout.media === 'image' && latentFrames !== 1) throw new GenbenchError('E_USAGE', `${layout.name} scores images: latent frames must be 1, got ${latentFrames}`);
  if (layout.media === 'video' && latentFrames < 2) throw new GenbenchError('E_USAGE', `${layout.name} scores videos: latent frames must be at least 2`, 'drop --frames for NOVA\'s 9 latent frames (33 video frames)');
  if (!video && s.motionFlow !== undefined) throw new GenbenchError('E_USAGE', `motion flow applies to video checkpoints; ${checkpoint.id} has no motion tokens`, 'drop the motion flow setting');
  if (checkpoint.scheduler !== 'flow-match-euler' && s.flowShift !== undefined) throw new GenbenchError('E_USAGE', `flow shift applies to flow-matching checkpoints; ${checkpoint.id} uses DDPM`, 'drop the flow shift setting');
  if (latentFrames === 1 && s.fps !== undefined) throw new GenbenchError('E_USAGE', 'fps applies to videos; this run writes images');
  const frames = decodedFrames(latentFrames);
  return {
    checkpoint: checkpoint.id,
    suite,
    seed: s.seed ?? D.seed,
    guidanceScale: s.guidanceScale ?? D.guidanceScale,
    guidanceTrunc: s.guidanceTrunc ?? D.guidanceTrunc,
    guidanceRenorm: s.guidanceRenorm ?? D.guidanceRenorm,
    arSteps: s.arSteps ?? D.arSteps,
    diffusionSteps: s.diffusionSteps ?? D.diffusionSteps,
    motionFlow: video ? (s.motionFlow ?? D.motionFlow) : null,
    flowShift: s.flowShift ?? null,
    latentFrames,
    frames,
    fps: latentFrames > 1 ? (s.fps ?? D.vbench.fps) : null,
    samplesPerPrompt: s.samplesPerPrompt ?? evalDefaults.samplesPerPrompt,
    negativePrompt: s.negativePrompt ?? D.negativePrompt,
    promptVariant: s.promptVariant ?? D.promptVariant,
    height: checkpoint.height,
    width: checkpoint.width,
  };
}

/**
 * NOVA's fields of every sample record (OUT/genbench/samples.jsonl), after the generic ones (file,
 * sha256, sampleKey, promptIndex, sampleIndex, prompt, promptVariant, promptUsed) and before
 * executionProvider, createdAt and timings (src/generate/generation-run.ts).
 */
export interface NovaSampleFields {
  /** Phi-2 tokens encoded, and whether the checkpoint's text_token_len cut the prompt. */
  promptTokens: number;
  promptTruncated: boolean;
  negativePrompt: string;
  checkpoint: { id: string; repo: string; revision: string; files: Record<string, string> };
  settings: GenerationSettings;
  rng: { generator: 'philox4x32-10'; seed: number; streams: 'sha256(purpose/sampleKey) per draw' };
}

/** The run-level generator block of the provenance (src/core/provenance.ts GeneratorInfo). */
export function generatorInfo(settings: GenerationSettings, checkpoint: NovaCheckpoint, revision: string, fileHashes: Record<string, string>): GeneratorInfo {
  return {
    id: `nova:${checkpoint.id}`,
    settings: { ...settings, repo: checkpoint.repo, revision, files: fileHashes },
    seeds: { base: settings.seed, rule: 'philox4x32-10 keyed by the seed; one stream per (purpose, sample key = suite/prompt sha256[:16] or GenEval index/sample index)' },
  };
}
