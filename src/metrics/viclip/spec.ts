/**
 * ViCLIP ViT-L/14, InternVid-10M-FLT (VBench temporal_style and overall_consistency): the tables of
 * its video and text towers (model-table.ts). The official code (vbench/third_party/ViCLIP @45e79ec)
 * builds both towers from one checkpoint, `{'model': state_dict}`, loaded strictly; the exporter
 * writes them as two graphs.
 */
import type { MetricModelTable } from '../../runtime/model-table.ts';

const UPSTREAM = 'https://huggingface.co/OpenGVLab/VBench_Used_Models/resolve/main/ViClip-InternVid-10M-FLT.pth';
const LICENSE = 'Apache-2.0 (OpenGVLab/InternVideo, ViCLIP code and InternVid weights)';

/** Frames per video the video tower takes (its temporal position embedding has 8 rows). */
export const VICLIP_FRAMES = 8;
/** The text tower's context (ViCLIP's max_txt_l). */
export const VICLIP_CONTEXT = 32;

/**
 * vbench/utils.py read_frames_decord_by_fps(path, num_frames=8, sample='middle') then clip_transform(224)
 * on the torch.uint8 frames: torchvision 0.14 tensor Resize on uint8 (cast to float, bicubic a=−0.75,
 * clamp 0..255, round half to even, back to uint8), CenterCrop, /255, CLIP mean/std.
 */
const VICLIP_VIDEO_TRANSFORM = {
  frames: { count: VICLIP_FRAMES, sample: 'middle', reader: 'vbench/utils.py read_frames_decord_by_fps (decord, native size, RGB)' },
  resize: { size: 224, edge: 'shorter', interpolation: 'bicubic', antialias: false, dtype: 'uint8', impl: 'torchvision 0.14 tensor Resize on torch.uint8: float interpolate, clamp(0, 255), round half to even' },
  centerCrop: 224,
  scale: '1/255',
  normalize: { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] },
} as const;

export const VICLIP_L14_VIDEO = {
  id: 'viclip-l14-video',
  family: 'viclip',
  description: 'ViCLIP ViT-L/14 (InternVid-10M-FLT) video tower, 8 frames; VBench temporal_style and overall_consistency',
  upstream: UPSTREAM,
  exportRecipe: 'tools/export/viclip.py',
  license: LICENSE,
  inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', VICLIP_FRAMES, 3, 224, 224] }],
  outputs: [{ name: 'video_embeds', dtype: 'float32', shape: ['batch', 768] }],
  preprocess: {
    official: 'vbench/temporal_style.py and overall_consistency.py @45e79ec (read_frames_decord_by_fps, clip_transform(224), ViCLIP.encode_vision(x, test=True))',
    layout: '[batch, T=8, C=3, 224, 224], RGB, frames in index order (as VBench stacks them)',
    ...VICLIP_VIDEO_TRANSFORM,
    output: 'ViCLIP.encode_vision(test=True): ln_post, the class token @ proj (not normalized); VBench L2-normalizes it',
  },
  fixture: { id: 'fixture-viclip-video', architecture: 'video-embedding', seed: 21, sha256: '320472c93b31806315769fa57ac3356314671533f173be4f61bc1bca72a189f5', bytes: 29964 },
} as const satisfies MetricModelTable;

export const VICLIP_L14_TEXT = {
  id: 'viclip-l14-text',
  family: 'viclip',
  description: 'ViCLIP ViT-L/14 (InternVid-10M-FLT) text tower, context 32; VBench temporal_style and overall_consistency',
  upstream: UPSTREAM,
  exportRecipe: 'tools/export/viclip.py',
  license: LICENSE,
  inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', VICLIP_CONTEXT] }],
  outputs: [{ name: 'text_embeds', dtype: 'float32', shape: ['batch', 768] }],
  preprocess: {
    official: 'vbench/third_party/ViCLIP viclip.py encode_text → viclip_text.py CLIP_TEXT.tokenize(text, context_length=32) with its own SimpleTokenizer (openai/CLIP BPE), then the text encoder',
    input:
      'CLIP BPE ids (openai/CLIP SimpleTokenizer: ftfy, html.unescape twice, white space collapsed, lower case; special tokens <|startoftext|>/<|endoftext|>): ' +
      '49406 + ids + 49407; longer than 32: the first 32 kept and the 32nd set to 49407 (truncate=True); zero-padded. src/metrics/viclip/tokenizer.ts',
    tokenizer: {
      // Its own registry name: the fixture builder writes every fixture's companions into one folder.
      file: 'viclip-l14-tokenizer.json',
      format: 'Hugging Face tokenizer.json (only its BPE model section is read)',
      contextLength: VICLIP_CONTEXT,
      truncate: true,
      url: 'https://huggingface.co/openai/clip-vit-large-patch14/resolve/32bd64288804d66eefd0ccbe215aa642df71cc41/tokenizer.json',
      revision: '32bd64288804d66eefd0ccbe215aa642df71cc41',
      sha256: null,
      note:
        "the CLIP BPE vocabulary of openai/CLIP's bpe_simple_vocab_16e6.txt.gz (sha256 924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a), the file VBench's ViCLIP tokenizer reads; " +
        'any tokenizer.json of that vocabulary serves (tools/export/clip_text.py writes one); sha256 not pinned yet',
    },
    output: 'CLIP_TEXT.forward: ln_final at the argmax-id (end token) position @ text_projection (not normalized); VBench L2-normalizes it',
  },
  companions: ['viclip-l14-tokenizer.json'],
  fixture: {
    id: 'fixture-viclip-text',
    architecture: 'text-embedding',
    seed: 22,
    sha256: '5df8a3f0eec92fda6e0d7b788e7c5776d82310a0df05a6fb1c1eff3440ab5fb6',
    bytes: 60987,
    // The CLIP BPE reduced to the merges of the 193 temporal_style / overall_consistency prompts (real ids),
    // plus the byte symbols, so any text tokenizes (tools/parity/viclip_tokenizer_reduced.py).
    companions: [{ name: 'viclip-l14-tokenizer.json', source: 'tests/fixtures/viclip-tokenizer-reduced.json', sha256: '7b2596cbdd387d2145005b73ce20acfd55f7684295fcc5ba7ada2987b9b75503', bytes: 31944 }],
  },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const VICLIP_MODELS = [VICLIP_L14_VIDEO, VICLIP_L14_TEXT] as const;
