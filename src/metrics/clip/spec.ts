/**
 * OpenAI CLIP (VBench background_consistency, aesthetic_quality and appearance_style, GenEval colour
 * classification): the tables of the image towers ViT-B/32 and ViT-L/14 and of the ViT-L/14 and
 * ViT-B/32 text towers (model-table.ts).
 */
import type { MetricModelTable } from '../../runtime/model-table.ts';
import type { ImageTransformSpec } from '../common/image-transform.ts';

/** vbench/utils.py clip_transform(224): Resize(224, bicubic) → CenterCrop(224) → /255 → CLIP mean/std. */
const CLIP_TRANSFORM = {
  resize: { size: 224, edge: 'shorter', interpolation: 'bicubic', antialias: false, impl: 'torchvision 0.14 tensor Resize' },
  centerCrop: 224,
  scale: '1/255',
  normalize: { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] },
} as const satisfies ImageTransformSpec;

/** Both image towers: one batch of 224×224 frames → one (unnormalised) embedding per frame. */
const imageTower = (dim: number) => ({
  inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 224, 224] }],
  outputs: [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', dim] }],
}) as const;

export const CLIP_VIT_B32_IMAGE = {
  id: 'clip-vit-b32-image',
  family: 'clip',
  description: 'OpenAI CLIP ViT-B/32 image tower; VBench background_consistency and appearance_style',
  upstream: 'https://openaipublic.azureedge.net/clip/models/40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af/ViT-B-32.pt',
  exportRecipe: 'tools/export/clip_image.py',
  license: 'MIT (openai/CLIP)',
  ...imageTower(512),
  preprocess: {
    official: 'vbench/utils.py clip_transform(224) (background_consistency)',
    layout: 'NCHW, RGB',
    ...CLIP_TRANSFORM,
    output: 'clip encode_image (after the visual projection, not normalized)',
  },
  fixture: { id: 'fixture-clip-b32-image', architecture: 'image-embedding', seed: 2, sha256: 'c8ac3ab4b5d092cd855d6eb80b6622350799e9e359804bd7e3b76dd578c08c03', bytes: 20660 },
} as const satisfies MetricModelTable;

export const CLIP_VIT_L14_IMAGE = {
  id: 'clip-vit-l14-image',
  family: 'clip',
  description: 'OpenAI CLIP ViT-L/14 image tower; VBench aesthetic_quality',
  upstream: 'https://openaipublic.azureedge.net/clip/models/b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836/ViT-L-14.pt',
  exportRecipe: 'tools/export/clip_image.py',
  license: 'MIT (openai/CLIP)',
  ...imageTower(768),
  preprocess: {
    official: 'vbench/utils.py clip_transform(224) (aesthetic_quality)',
    layout: 'NCHW, RGB',
    ...CLIP_TRANSFORM,
    output: 'clip encode_image (after the visual projection, not normalized)',
  },
  fixture: { id: 'fixture-clip-l14-image', architecture: 'image-embedding', seed: 3, sha256: 'c20c7c1f0cd24cf4c58c473c558deb0a78ae30cf0b79e7356530abc4483039e9', bytes: 29876 },
} as const satisfies MetricModelTable;

export const CLIP_VIT_L14_TEXT = {
  id: 'clip-vit-l14-text',
  family: 'clip',
  description: 'OpenAI CLIP ViT-L/14 text tower (open_clip encode_text); GenEval colour classification',
  upstream: 'https://openaipublic.azureedge.net/clip/models/b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836/ViT-L-14.pt',
  exportRecipe: 'tools/export/clip_text.py',
  license: 'MIT (openai/CLIP)',
  inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 77] }],
  outputs: [{ name: 'text_embeds', dtype: 'float32', shape: ['batch', 768] }],
  preprocess: {
    official: 'geneval evaluation/evaluate_images.py color_classification (open_clip 2.20.0 ViT-L-14, pretrained="openai"; clip_benchmark 1.4.0 zero_shot_classifier)',
    input: 'CLIP BPE token ids (open_clip tokenize, context 77: 49406 + ids + 49407, truncated keeping 49407 last, zero-padded); src/metrics/clip/clip-tokenizer.ts',
    tokenizer: {
      file: 'tokenizer.json',
      format: 'Hugging Face tokenizer.json (only its BPE model section is read)',
      contextLength: 77,
      url: 'https://huggingface.co/openai/clip-vit-large-patch14/resolve/32bd64288804d66eefd0ccbe215aa642df71cc41/tokenizer.json',
      revision: '32bd64288804d66eefd0ccbe215aa642df71cc41',
      sha256: null,
      note: "sha256 not pinned yet (no download possible where this entry was written); tools/export/clip_text.py also writes the same vocabulary from open_clip's bpe_simple_vocab_16e6.txt.gz as clip-vit-l14-tokenizer.json and prints its sha256",
    },
    output: 'open_clip CLIP.encode_text(normalize=False): final LayerNorm at the argmax-id (end token) position @ text_projection; the colour classifier L2-normalizes',
  },
  companions: ['tokenizer.json'],
  fixture: {
    id: 'fixture-clip-l14-text',
    architecture: 'text-embedding',
    seed: 8,
    sha256: 'a7e889c389ace4bdcb8c89c0a90433dafc9aad1881cfd2066a5203b8cb8344ac',
    bytes: 60990,
    // The CLIP BPE reduced to the merges GenEval's 2,400 colour prompts use, with the real token ids.
    companions: [{ name: 'tokenizer.json', source: 'tests/fixtures/clip-tokenizer-reduced.json', sha256: '9eb5f1d0c6f72cedb465797664d147ecf1743fcedfd3cc5b7cbb60bc6976577b', bytes: 11290 }],
  },
} as const satisfies MetricModelTable;

export const CLIP_VIT_B32_TEXT = {
  id: 'clip-vit-b32-text',
  family: 'clip',
  description: 'OpenAI CLIP ViT-B/32 text tower with its logit scale (openai/CLIP encode_text); VBench appearance_style',
  upstream: CLIP_VIT_B32_IMAGE.upstream,
  exportRecipe: 'tools/export/clip_text_b32.py',
  license: 'MIT (openai/CLIP)',
  inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 77] }],
  outputs: [
    { name: 'text_embeds', dtype: 'float32', shape: ['batch', 512] },
    { name: 'logit_scale', dtype: 'float32', shape: [] },
  ],
  preprocess: {
    official: 'vbench/appearance_style.py @45e79ec (openai/CLIP d05afc4 clip.load("ViT-B/32"), clip.tokenize, CLIP.forward)',
    input: 'openai/CLIP clip.tokenize([text]) (context 77, truncate=False: 49406 + ids + 49407, zero-padded; a text over 75 BPE tokens is refused, as clip.tokenize raises); src/metrics/clip/clip-tokenizer.ts',
    tokenizer: {
      // Named as tools/export/clip_text_b32.py writes it (so its output folder serves `models fetch --from`),
      // and unlike the L14 tower's `tokenizer.json`: the fixture builder writes every fixture's companions into one folder.
      file: 'clip-vit-b32-tokenizer.json',
      format: 'Hugging Face tokenizer.json (only its BPE model section is read)',
      contextLength: 77,
      truncate: false,
      url: CLIP_VIT_L14_TEXT.preprocess.tokenizer.url,
      revision: CLIP_VIT_L14_TEXT.preprocess.tokenizer.revision,
      sha256: null,
      note: "the CLIP BPE vocabulary, the same for every OpenAI CLIP model; tools/export/clip_text_b32.py writes it from openai/CLIP's bpe_simple_vocab_16e6.txt.gz as clip-vit-b32-tokenizer.json and prints its sha256",
    },
    output: 'text_embeds: CLIP.encode_text (final LayerNorm at the argmax-id (end token) position @ text_projection, not normalised); logit_scale: exp(CLIP.logit_scale) as CLIP.forward applies it (about 100 in the released model)',
    similarity: 'logits_per_image = logit_scale · (image/‖image‖) · (text/‖text‖); VBench divides by 100 (src/metrics/clip/similarity.ts)',
  },
  companions: ['clip-vit-b32-tokenizer.json'],
  fixture: {
    id: 'fixture-clip-b32-text',
    architecture: 'text-embedding-logit-scale',
    seed: 14,
    sha256: 'c8bfd67c494ede5649a496f0639bb03f4c57ec0ae41bee6946bac2a56d008664',
    bytes: 51883,
    // The CLIP BPE reduced to the merges VBench's nine appearance_style phrases use, with the real token ids
    // (tools/parity/clip_style_tokenizer.py).
    companions: [{ name: 'clip-vit-b32-tokenizer.json', source: 'tests/fixtures/clip-tokenizer-styles-reduced.json', sha256: '3e4eec069cd327a35121dae7db9ec0644c7dc8b1ce7e9c52524f8cbc1e7abdf9', bytes: 2316 }],
  },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const CLIP_MODELS = [CLIP_VIT_B32_IMAGE, CLIP_VIT_L14_IMAGE, CLIP_VIT_L14_TEXT, CLIP_VIT_B32_TEXT] as const;
