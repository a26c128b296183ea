/**
 * NOVA as a genbench generator (src/generate/contract.ts): a released checkpoint (downloaded,
 * verified, cached) or a local folder in the Hugging Face layout, sampled over ONNX Runtime with
 * NOVA's evaluation settings (settings.ts). The generic run (../generation-run.ts) does prompt
 * selection, resume, the folder identity and the files; this module holds only what is NOVA's:
 *
 *   prepare    checkpoint identity (catalogue id, or the local folder's configs, unsupported
 *              fields refused by name) and settings (ranges, checkpoint/suite agreement)
 *   identify   the revision: --revision, pinned, the one the folder recorded, else main's current
 *              commit from the Hub (printed and recorded; later runs into the folder keep it)
 *   open       download (or hash) the checkpoint; scheduler and transformer configs
 *   start      the Phi text encoder (through the embedding cache), transformer and VAE sessions
 *   generate   one prompt's missing samples: text features, the AR + diffusion loop with
 *              Philox noise keyed by each sample's key, VAE decode
 */
import { join, resolve } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import type { Generator, GeneratorContext, IdentifiedGenerator, ModelRequest, OpenGenerator, PreparedGenerator, SampleGenerator } from '../contract.ts';
import type { PreviousGeneration } from '../outputs/folder-identity.ts';
import { sameJson } from '../outputs/folder-identity.ts';
import type { GenerationSuite } from '../../prompts/prompt-sets.ts';
import { findCheckpoint, fetchRevision, type NovaCheckpoint } from './checkpoints.ts';
import { loadTransformerConfig, parsePhiConfig, readJsonConfig } from './config.ts';
import { describeCheckpointDir, fetchCheckpoint, localCheckpoint, resolveMainRevision, type ResolvedCheckpoint } from './fetch-checkpoint.ts';
import { openNovaNetworks } from './networks/ort-networks.ts';
import { OrtPhiTextEncoder } from './networks/ort-text-encoder.ts';
import { philoxNoiseSource } from './rng/noise-source.ts';
import { generateSamples, type GenerationPlan, type SampleSpec } from './sampler/generate-sample.ts';
import type { TextFeatures } from './sampler/networks.ts';
import { makeSchedule } from './sampler/schedulers/make-schedule.ts';
import { parseSchedulerConfig } from './sampler/schedulers/scheduler-config.ts';
import { GenerationSettingsInputSchema, generatorInfo, resolveGenerationSettings, type GenerationSettings, type GenerationSettingsInput, type NovaSampleFields } from './settings.ts';
import { TextEmbeddingCache, textEncoderKey } from './text-embeddings.ts';

/** How the checkpoint revision of a run was chosen (recorded in generation.json). */
type RevisionSource = 'local' | 'requested' | 'pinned' | 'recorded' | 'resolved-main';

/**
 * The catalogue entry or local folder behind the request, without downloading anything; the
 * revision when known without the Hub (local, --revision, pinned), else null.
 */
function checkpointIdentity(o: ModelRequest): { checkpoint: NovaCheckpoint; revision: string | null; source: RevisionSource | null } {
  if (o.checkpointDir) {
    if (o.revision) throw new GenbenchError('E_USAGE', '--revision applies to downloads; a --checkpoint-dir folder is used as it is', 'drop --revision');
    return { checkpoint: describeCheckpointDir(resolve(o.checkpointDir), o.model ? findCheckpoint(o.model) : undefined), revision: 'local', source: 'local' };
  }
  if (!o.model) throw new GenbenchError('E_USAGE', 'missing --model', 'pass a NOVA checkpoint id (nova-osp480, nova-sd512, nova-sdxl1024-w768|w1024|w1536) or --checkpoint-dir DIR');
  const checkpoint = findCheckpoint(o.model);
  const revision = fetchRevision(checkpoint, o.revision);
  return { checkpoint, revision, source: revision === null ? null : o.revision !== undefined ? 'requested' : 'pinned' };
}

/** The revision of `repo` an output folder's earlier run recorded (null when none, or unreadable: the folder check reports that). */
function recordedRevision(previous: PreviousGeneration | null, repo: string): { revision: string; record: unknown } | null {
  if (!previous) return null;
  try {
    const prev = previous.record as { identity?: { checkpoint?: { repo: string; revision: string } }; checkpointRevision?: unknown };
    const c = prev.identity?.checkpoint;
    return c && c.repo === repo && /^[0-9a-f]{40}$/.test(c.revision) ? { revision: c.revision, record: prev.checkpointRevision ?? null } : null;
  } catch {
    return null;
  }
}

async function prepare(request: ModelRequest, input: unknown, suite: GenerationSuite): Promise<PreparedGenerator> {
  const known = checkpointIdentity(request);
  const { checkpoint } = known;
  const settingsInput: GenerationSettingsInput = { ...((input ?? {}) as GenerationSettingsInput) };
  if (suite === 'prompt' && checkpoint.task === 't2v' && settingsInput.latentFrames === undefined) settingsInput.latentFrames = 9;
  const settings = resolveGenerationSettings(settingsInput, checkpoint, suite);
  return {
    samplesPerPrompt: settings.samplesPerPrompt,
    promptVariant: settings.promptVariant,
    media: settings.latentFrames > 1 ? 'video' : 'image',
    identify: (previous, ctx) => identify(request, known, settings, previous, ctx),
  };
}

async function identify(
  request: ModelRequest,
  known: ReturnType<typeof checkpointIdentity>,
  settings: GenerationSettings,
  previous: PreviousGeneration | null,
  ctx: GeneratorContext,
): Promise<IdentifiedGenerator> {
  const { checkpoint } = known;
  // An unpinned checkpoint without --revision: the folder keeps the revision its first run
  // resolved (main moving on must not change a folder's samples); a new folder asks the Hub which
  // commit main is at now, prints it and records it.
  let revision: string;
  let revisionRecord: Record<string, unknown>;
  if (known.revision !== null) {
    revision = known.revision;
    revisionRecord = { revision, source: known.source };
  } else {
    const recorded = recordedRevision(previous, checkpoint.repo);
    if (recorded) {
      revision = recorded.revision;
      ctx.progress.log(`${checkpoint.id}: using revision ${revision}, recorded in ${previous!.path} (a folder keeps its revision)`);
      const prev = recorded.record && typeof recorded.record === 'object' ? (recorded.record as Record<string, unknown>) : {};
      revisionRecord = { ...prev, revision, source: prev.source ?? 'recorded' };
    } else {
      const r = await resolveMainRevision(checkpoint, { endpoint: request.endpoint, signal: ctx.signal });
      revision = r.revision;
      ctx.progress.log(r.note);
      revisionRecord = { revision, source: 'resolved-main', resolvedAt: new Date().toISOString() };
    }
  }
  return {
    model: { id: checkpoint.id, revision, dir: request.checkpointDir ? resolve(request.checkpointDir) : '' },
    identity: {
      // A local folder is identified by its files' hashes (checked once hashed), not by where it lies.
      checkpoint: { id: checkpoint.id, repo: request.checkpointDir ? 'local' : checkpoint.repo, revision },
      // Every setting but the number of samples per prompt (more samples may be added to a folder).
      settings: (({ samplesPerPrompt: _n, ...rest }) => rest)(settings),
    },
    open: async (c) => {
      const resolved: ResolvedCheckpoint = request.checkpointDir
        ? await localCheckpoint(request.checkpointDir, request.model)
        : await fetchCheckpoint(checkpoint, revision, {
          endpoint: request.endpoint,
          signal: c.signal,
          onFile: (path, state) => { if (state !== 'cached') c.progress.log(`${state === 'resume' ? 'resuming' : 'downloading'} ${checkpoint.repo}/${path}`); },
        });
      return open(checkpoint, settings, revision, revisionRecord, resolved);
    },
  };
}

function open(checkpoint: NovaCheckpoint, settings: GenerationSettings, revision: string, revisionRecord: Record<string, unknown>, resolved: ResolvedCheckpoint): OpenGenerator {
  const dir = resolved.dir;
  const configs = loadPlan(dir, settings);
  return {
    dir,
    info: generatorInfo(settings, checkpoint, revision, resolved.files),
    provenance: {
      checkpointRevision: revisionRecord,
      checkpointFiles: resolved.files,
      checkpointDir: dir,
      checkpointSource: resolved.source,
    },
    conflicts: (prev) => (prev.checkpointFiles && !sameJson(resolved.files, prev.checkpointFiles) ? ['checkpoint file hashes differ'] : []),
    start: (ctx) => start(checkpoint, settings, revision, resolved, configs, ctx),
  };
}

/** The sampling plan from the scheduler and transformer configs (read when the checkpoint is opened, before generation.json is written). */
function loadPlan(dir: string, settings: GenerationSettings): { plan: GenerationPlan; textTokenLen: number } {
  const sPath = join(dir, 'scheduler/scheduler_config.json');
  const schedule = makeSchedule(parseSchedulerConfig(readJsonConfig(sPath), sPath), settings.diffusionSteps, settings.flowShift ?? undefined);
  const tcfg = loadTransformerConfig(join(dir, 'transformer/config.json'));
  return {
    plan: {
      arSteps: settings.arSteps,
      schedule,
      guidance: { scale: settings.guidanceScale, trunc: settings.guidanceTrunc, renorm: settings.guidanceRenorm },
      motionFlow: settings.motionFlow ?? 0,
      latentFrames: settings.latentFrames,
    },
    textTokenLen: tcfg.textTokenLen,
  };
}

async function start(
  checkpoint: NovaCheckpoint,
  settings: GenerationSettings,
  revision: string,
  resolved: ResolvedCheckpoint,
  { plan, textTokenLen }: ReturnType<typeof loadPlan>,
  ctx: GeneratorContext,
): Promise<SampleGenerator> {
  const { dir } = resolved;
  const textFiles = Object.fromEntries(Object.entries(resolved.files).filter(([p]) => p.startsWith('text_encoder/') || p.startsWith('tokenizer/')));
  const phi = parsePhiConfig(readJsonConfig(join(dir, 'text_encoder/config.json')));
  const texts = new TextEmbeddingCache(textEncoderKey(textFiles, textTokenLen), phi.hiddenSize, () =>
    OrtPhiTextEncoder.open(join(dir, 'text_encoder'), join(dir, 'tokenizer'), { device: ctx.device, threads: ctx.threads, maxTokens: textTokenLen }));
  const net = await openNovaNetworks({ transformer: join(dir, 'transformer'), vae: join(dir, 'vae') }, { device: ctx.device, threads: ctx.threads });
  const noise = philoxNoiseSource(settings.seed);
  const negative: TextFeatures | null = settings.negativePrompt === '' ? null : await texts.get(settings.negativePrompt);
  const video = settings.latentFrames > 1;
  return {
    async generate({ prompt, samples }) {
      const te = performance.now();
      const features = await texts.get(prompt.used);
      const textEncodeMs = performance.now() - te;
      const specs: SampleSpec[] = samples.map((s) => ({ key: s.key, prompt: features, negative }));
      const tb = performance.now();
      const decoded = await generateSamples(net, plan, specs, noise);
      const batchMs = performance.now() - tb;
      const fields: NovaSampleFields = {
        promptTokens: features.length,
        promptTruncated: features.truncated,
        negativePrompt: settings.negativePrompt,
        checkpoint: { id: checkpoint.id, repo: checkpoint.repo, revision, files: resolved.files },
        settings,
        rng: { generator: 'philox4x32-10', seed: settings.seed, streams: 'sha256(purpose/sampleKey) per draw' },
      };
      return {
        samples: decoded.map((s) => ({
          media: video ? { kind: 'video', frames: s.frames, width: s.width, height: s.height, fps: settings.fps! } : { kind: 'image', rgb: s.frames[0]!, width: s.width, height: s.height },
          record: { ...fields },
        })),
        batchMs,
        timings: { textEncodeMs: Math.round(textEncodeMs), textCached: features.cached },
      };
    },
  };
}

export const novaGenerator: Generator = {
  id: 'nova',
  describe: 'NOVA (BAAI) over ONNX Runtime: a released checkpoint (downloaded, verified, cached) or a local folder in the Hugging Face layout',
  settingsSchema: GenerationSettingsInputSchema,
  prepare: (request, settings, suite) => prepare(request, settings, suite),
};
