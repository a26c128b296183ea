/**
 * The released NOVA checkpoints (spec §1.1–1.2): Hugging Face repository, revision, the files
 * genbench needs, and what each is for. Checksums and revisions are recorded only once they have
 * been verified against the published files: nothing here is guessed. A checkpoint whose
 * revision is not pinned yet is fetched at `--revision`, or at the commit its main branch points
 * to at first download (resolved, printed and recorded with the samples; later runs in the same
 * folder keep it).
 */
import { GenbenchError } from '../../core/errors.ts';

export type NovaTask = 't2v' | 't2i';
export type NovaSchedulerKind = 'ddpm' | 'flow-match-euler';

export interface NovaCheckpointFile {
  /** Path inside the repository; a `*` is resolved against the repository listing at the pinned revision at fetch time. */
  path: string;
  /** sha256 once verified against the published file; null until then. */
  sha256: string | null;
  role: 'pipeline-index' | 'transformer-config' | 'transformer-weights' | 'vae-config' | 'vae-weights' | 'text-encoder-config' | 'text-encoder-weights' | 'tokenizer' | 'tokenizer-config' | 'scheduler-config';
}

export interface NovaCheckpoint {
  /** genbench id (`--model`). */
  id: string;
  /** Other accepted names (the repository's own name). */
  aliases: readonly string[];
  /** Hugging Face repository. */
  repo: string;
  /** Full 40-hex commit of the repository; null = not pinned yet. */
  revision: string | null;
  task: NovaTask;
  /** Native output size. */
  height: number;
  width: number;
  /** Scheduler class model_index.json names (osp480: read; sdxl1024: read; sd512: inferred, spec §1.2). */
  scheduler: NovaSchedulerKind;
  schedulerVerified: boolean;
  vae: 'AutoencoderKLOpenSora' | 'AutoencoderKL';
  /** The benchmark NOVA reports for it, and the reported score (README). */
  benchmark: 'vbench' | 'geneval';
  reported: string;
  files: readonly NovaCheckpointFile[];
}

const file = (path: string, role: NovaCheckpointFile['role']): NovaCheckpointFile => ({ path, sha256: null, role });

/** Files every NOVA repository ships that the TypeScript pipeline reads (spec §1.2). */
function standardFiles(): NovaCheckpointFile[] {
  return [
    file('model_index.json', 'pipeline-index'),
    file('transformer/config.json', 'transformer-config'),
    file('transformer/diffusion_pytorch_model.safetensors', 'transformer-weights'),
    file('vae/config.json', 'vae-config'),
    file('vae/diffusion_pytorch_model.safetensors', 'vae-weights'),
    file('text_encoder/config.json', 'text-encoder-config'),
    // The spec does not name the Phi-2 weight file(s) (single file or shards + index).
    file('text_encoder/*.safetensors', 'text-encoder-weights'),
    file('tokenizer/tokenizer.json', 'tokenizer'),
    file('tokenizer/tokenizer_config.json', 'tokenizer-config'),
    file('scheduler/scheduler_config.json', 'scheduler-config'),
  ];
}

export const NOVA_CHECKPOINTS: readonly NovaCheckpoint[] = [
  {
    id: 'nova-osp480', aliases: ['nova-d48w1024-osp480'], repo: 'BAAI/nova-d48w1024-osp480', revision: null,
    task: 't2v', height: 480, width: 768, scheduler: 'ddpm', schedulerVerified: true, vae: 'AutoencoderKLOpenSora',
    benchmark: 'vbench', reported: 'VBench 80.12', files: standardFiles(),
  },
  {
    id: 'nova-sd512', aliases: ['nova-d48w1024-sd512'], repo: 'BAAI/nova-d48w1024-sd512', revision: null,
    task: 't2i', height: 512, width: 512, scheduler: 'ddpm', schedulerVerified: false, vae: 'AutoencoderKL',
    benchmark: 'geneval', reported: 'GenEval 0.75', files: standardFiles(),
  },
  {
    id: 'nova-sdxl1024-w768', aliases: ['nova-d48w768-sdxl1024'], repo: 'BAAI/nova-d48w768-sdxl1024', revision: null,
    task: 't2i', height: 1024, width: 1024, scheduler: 'flow-match-euler', schedulerVerified: true, vae: 'AutoencoderKL',
    benchmark: 'geneval', reported: 'GenEval 0.67', files: standardFiles(),
  },
  {
    id: 'nova-sdxl1024-w1024', aliases: ['nova-d48w1024-sdxl1024'], repo: 'BAAI/nova-d48w1024-sdxl1024', revision: null,
    task: 't2i', height: 1024, width: 1024, scheduler: 'flow-match-euler', schedulerVerified: true, vae: 'AutoencoderKL',
    benchmark: 'geneval', reported: 'GenEval 0.69', files: standardFiles(),
  },
  {
    id: 'nova-sdxl1024-w1536', aliases: ['nova-d48w1536-sdxl1024'], repo: 'BAAI/nova-d48w1536-sdxl1024', revision: null,
    task: 't2i', height: 1024, width: 1024, scheduler: 'flow-match-euler', schedulerVerified: true, vae: 'AutoencoderKL',
    benchmark: 'geneval', reported: 'GenEval 0.71', files: standardFiles(),
  },
];

/** The checkpoint of an id or alias; unknown ids are an error listing the known ones. */
export function findCheckpoint(id: string): NovaCheckpoint {
  const c = NOVA_CHECKPOINTS.find((k) => k.id === id || k.aliases.includes(id));
  if (!c) {
    throw new GenbenchError('E_NOT_FOUND', `unknown NOVA checkpoint "${id}"`, `use one of: ${NOVA_CHECKPOINTS.map((k) => k.id).join(', ')}`);
  }
  return c;
}

/**
 * The revision to fetch when it is known without asking the Hub: `override` (a full 40-hex
 * commit), else the pinned one; null when neither (the NOVA generator then uses the revision recorded in
 * the output folder, or resolves the repository's current main to a commit and records it).
 */
export function fetchRevision(c: NovaCheckpoint, override?: string): string | null {
  if (override !== undefined) {
    if (!/^[0-9a-f]{40}$/.test(override)) throw new GenbenchError('E_USAGE', `revision "${override}" is not a full 40-hex commit`, 'pass the commit shown on the repository\'s Hugging Face "Files" history page');
    if (c.revision !== null && override !== c.revision) throw new GenbenchError('E_USAGE', `${c.id} is pinned to ${c.revision}; refusing revision ${override}`, 'drop the revision override');
    return override;
  }
  return c.revision;
}

/** Download URL of a file at a revision (Hugging Face "resolve" endpoint). */
export function checkpointFileUrl(c: NovaCheckpoint, revision: string, path: string): string {
  if (path.includes('*')) throw new GenbenchError('E_USAGE', `${path} is a pattern; resolve it against the repository listing first`);
  return `https://huggingface.co/${c.repo}/resolve/${revision}/${path.split('/').map(encodeURIComponent).join('/')}`;
}
