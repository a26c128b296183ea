/**
 * Built-in model registry entries: the metric models VBench's quality dimensions use, with the
 * ONNX signature we require of them (our contract), and the project's tiny fixture models that
 * share those signatures. No ONNX file of a real metric model is published yet, so those entries
 * say `export-required` and name the export recipe; the registry never pretends they can be fetched.
 */
import type { ModelSpecInput, TensorSpec } from './model-spec-schema.ts';

/** ONNX contracts of the real metric models, by registry id. Fixture models share them. */
export const METRIC_MODEL_CONTRACTS = {
  'dino-vitb16': {
    inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }],
    outputs: [{ name: 'features', dtype: 'float32', shape: ['batch', 768] }],
  },
  'clip-vit-b32-image': {
    inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 224, 224] }],
    outputs: [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', 512] }],
  },
  'clip-vit-l14-image': {
    inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 224, 224] }],
    outputs: [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', 768] }],
  },
  'clip-vit-l14-text': {
    inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 77] }],
    outputs: [{ name: 'text_embeds', dtype: 'float32', shape: ['batch', 768] }],
  },
  'laion-aesthetic-vit-l14': {
    inputs: [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', 768] }],
    outputs: [{ name: 'score', dtype: 'float32', shape: ['batch', 1] }],
  },
  'musiq-spaq': {
    // MUSIQ's own token tensor: per token 3·32·32 pixels in [−1, 1] (unfold order), hashed spatial
    // index, scale id, mask; src/suites/vbench/musiq-preprocess.ts builds it exactly.
    inputs: [{ name: 'patches', dtype: 'float32', shape: ['batch', 'tokens', 3075] }],
    outputs: [{ name: 'score', dtype: 'float32', shape: ['batch', 1] }],
  },
  'raft-things': {
    inputs: [
      { name: 'image1', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
      { name: 'image2', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
    ],
    outputs: [{ name: 'flow', dtype: 'float32', shape: ['batch', 2, 'height', 'width'] }],
  },
  'amt-s': {
    inputs: [
      { name: 'img0', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
      { name: 'img1', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
      { name: 'embt', dtype: 'float32', shape: ['batch', 1, 1, 1] },
    ],
    outputs: [{ name: 'imgt_pred', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }],
  },
  'mask2former-swin-s-coco': {
    // GenEval's detector; height/width: multiples of 32 (dynamic); mask_height/mask_width = height/4, width/4.
    inputs: [{ name: 'pixel_values', dtype: 'float32', shape: [1, 3, 'height', 'width'] }],
    outputs: [
      { name: 'cls_logits', dtype: 'float32', shape: [1, 100, 81] },
      { name: 'mask_logits', dtype: 'float32', shape: [1, 100, 'mask_height', 'mask_width'] },
    ],
  },
} as const satisfies Record<string, { inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] }>;

export type MetricModelId = keyof typeof METRIC_MODEL_CONTRACTS;

function contract(id: MetricModelId): { inputs: TensorSpec[]; outputs: TensorSpec[] } {
  const c = METRIC_MODEL_CONTRACTS[id];
  const copy = (ts: readonly { name: string; dtype: TensorSpec['dtype']; shape: readonly (number | string)[] }[]): TensorSpec[] =>
    ts.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] }));
  return { inputs: copy(c.inputs), outputs: copy(c.outputs) };
}

const IMAGENET_NORMALIZE = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
const CLIP_NORMALIZE = { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] };

/** What the official code does to frames before the model (the metric modules implement it). */
const PREPROCESS: Record<MetricModelId, Record<string, unknown>> = {
  'dino-vitb16': {
    official: 'vbench/utils.py dino_transform(224) (subject_consistency)',
    layout: 'NCHW, RGB',
    resize: { size: 224, edge: 'shorter', interpolation: 'bilinear', antialias: false, impl: 'torchvision 0.14 tensor Resize' },
    scale: '1/255',
    normalize: IMAGENET_NORMALIZE,
    output: 'CLS features of dino_vitb16; VBench L2-normalizes them',
  },
  'clip-vit-b32-image': {
    official: 'vbench/utils.py clip_transform(224) (background_consistency)',
    layout: 'NCHW, RGB',
    resize: { size: 224, edge: 'shorter', interpolation: 'bicubic', antialias: false, impl: 'torchvision 0.14 tensor Resize' },
    centerCrop: 224,
    scale: '1/255',
    normalize: CLIP_NORMALIZE,
    output: 'clip encode_image (after the visual projection, not normalized)',
  },
  'clip-vit-l14-image': {
    official: 'vbench/utils.py clip_transform(224) (aesthetic_quality)',
    layout: 'NCHW, RGB',
    resize: { size: 224, edge: 'shorter', interpolation: 'bicubic', antialias: false, impl: 'torchvision 0.14 tensor Resize' },
    centerCrop: 224,
    scale: '1/255',
    normalize: CLIP_NORMALIZE,
    output: 'clip encode_image (after the visual projection, not normalized)',
  },
  'clip-vit-l14-text': {
    official: 'geneval evaluation/evaluate_images.py color_classification (open_clip 2.20.0 ViT-L-14, pretrained="openai"; clip_benchmark 1.4.0 zero_shot_classifier)',
    input: 'CLIP BPE token ids (open_clip tokenize, context 77: 49406 + ids + 49407, truncated keeping 49407 last, zero-padded); src/metrics/clip/clip-tokenizer.ts',
    tokenizer: {
      file: 'tokenizer.json (Hugging Face format; only its BPE model section is read)',
      url: 'https://huggingface.co/openai/clip-vit-large-patch14/resolve/32bd64288804d66eefd0ccbe215aa642df71cc41/tokenizer.json',
      revision: '32bd64288804d66eefd0ccbe215aa642df71cc41',
      sha256: null,
      note: 'sha256 not pinned yet (no download possible where this entry was written); tools/export/clip_text.py also writes the same vocabulary from open_clip\'s bpe_simple_vocab_16e6.txt.gz as clip-vit-l14-tokenizer.json and prints its sha256',
    },
    output: 'open_clip CLIP.encode_text(normalize=False): final LayerNorm at the argmax-id (end token) position @ text_projection; the colour classifier L2-normalizes',
  },
  'laion-aesthetic-vit-l14': {
    official: 'vbench/aesthetic_quality.py',
    input: 'CLIP ViT-L/14 image embeddings, float32, L2-normalized',
    output: 'aesthetic score (about 0..10); VBench divides by 10',
  },
  'musiq-spaq': {
    official: "vbench/imaging_quality.py transform(images, 'longer') + pyiqa MUSIQ's multiscale patch preprocessing",
    layout: 'one frame per call: MUSIQ tokens [1, 49 + 144 + ceil(h/32)·ceil(w/32), 3075] (scales 224, 384, native; patch 32; hash grid 10)',
    resize: { when: 'max(h,w) > 512', size: '(int(512/max(h,w)*h), int(512/max(h,w)*w))', interpolation: 'bilinear', antialias: false, impl: 'torchvision 0.14 tensor Resize' },
    scale: '1/255',
    output: 'MUSIQ quality score (0..100); VBench divides the mean by 100',
  },
  'raft-things': {
    official: 'vbench/dynamic_degree.py',
    layout: 'NCHW, RGB, float 0..255 (RAFT normalizes inside)',
    frames: 'every round(fps/8)-th frame',
    pad: { divisor: 8, mode: 'sintel (centered)', fill: 'replicate' },
    iters: 20,
    output: 'flow_up (test_mode=True), before unpadding',
  },
  'amt-s': {
    official: 'vbench/motion_smoothness.py',
    layout: 'NCHW, RGB, float 0..1 (img2tensor)',
    pad: { divisor: 16, fill: 'replicate' },
    embt: 0.5,
    scaleFactor: 1.0,
    output: 'imgt_pred, before unpadding',
  },
  'mask2former-swin-s-coco': {
    official: 'geneval evaluation/evaluate_images.py inference_detector (mmdet 2.x test pipeline of mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco)',
    layout: 'NCHW, RGB (from the cv2.imdecode BGR image), batch 1',
    resize: { scale: [1333, 800], keepRatio: true, interpolation: 'bilinear', impl: 'mmcv.imrescale, OpenCV 8-bit INTER_LINEAR' },
    pad: { divisor: 32, where: 'bottom/right', value: 128, before: 'normalize' },
    normalize: { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], units: '0..255' },
    impl: 'src/suites/geneval/detector-input.ts',
    output: 'last decoder layer: cls_logits (80 COCO classes + no-object) and mask_logits at 1/4 of the padded input; src/suites/geneval/mask2former-postprocess.ts does mmdet\'s instance post-processing',
  },
};

interface MetricEntry {
  id: MetricModelId;
  description: string;
  family: string;
  upstream: string;
  recipe: string;
  license: string;
  /** Files the model needs besides its ONNX graph (a tokenizer, …), by file name. */
  companions?: readonly string[];
}

const METRIC_ENTRIES: MetricEntry[] = [
  {
    id: 'dino-vitb16',
    description: 'DINO ViT-B/16 (self-supervised), CLS features; VBench subject_consistency',
    family: 'dino',
    upstream: 'https://dl.fbaipublicfiles.com/dino/dino_vitbase16_pretrain/dino_vitbase16_pretrain.pth',
    recipe: 'tools/export/dino.py',
    license: 'Apache-2.0 (facebookresearch/dino)',
  },
  {
    id: 'clip-vit-b32-image',
    description: 'OpenAI CLIP ViT-B/32 image tower; VBench background_consistency',
    family: 'clip',
    upstream: 'https://openaipublic.azureedge.net/clip/models/40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af/ViT-B-32.pt',
    recipe: 'tools/export/clip_image.py',
    license: 'MIT (openai/CLIP)',
  },
  {
    id: 'clip-vit-l14-image',
    description: 'OpenAI CLIP ViT-L/14 image tower; VBench aesthetic_quality',
    family: 'clip',
    upstream: 'https://openaipublic.azureedge.net/clip/models/b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836/ViT-L-14.pt',
    recipe: 'tools/export/clip_image.py',
    license: 'MIT (openai/CLIP)',
  },
  {
    id: 'clip-vit-l14-text',
    description: 'OpenAI CLIP ViT-L/14 text tower (open_clip encode_text); GenEval colour classification',
    family: 'clip',
    upstream: 'https://openaipublic.azureedge.net/clip/models/b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836/ViT-L-14.pt',
    recipe: 'tools/export/clip_text.py',
    license: 'MIT (openai/CLIP)',
    companions: ['tokenizer.json'],
  },
  {
    id: 'laion-aesthetic-vit-l14',
    description: 'LAION aesthetic predictor, linear head on CLIP ViT-L/14 embeddings (sa_0_4_vit_l_14_linear); VBench aesthetic_quality',
    family: 'aesthetic',
    upstream: 'https://raw.githubusercontent.com/LAION-AI/aesthetic-predictor/main/sa_0_4_vit_l_14_linear.pth',
    recipe: 'tools/export/aesthetic_head.py',
    license: 'MIT (LAION-AI/aesthetic-predictor)',
  },
  {
    id: 'musiq-spaq',
    description: 'MUSIQ trained on SPAQ (pyiqa weights); VBench imaging_quality',
    family: 'musiq',
    upstream: 'https://github.com/chaofengc/IQA-PyTorch/releases/download/v0.1-weights/musiq_spaq_ckpt-358bb6af.pth',
    recipe: 'tools/export/musiq.py',
    license: 'CC BY-NC-SA 4.0 (chaofengc/IQA-PyTorch weights; non-commercial)',
  },
  {
    id: 'raft-things',
    description: 'RAFT optical flow, things checkpoint, 20 iterations; VBench dynamic_degree',
    family: 'raft',
    upstream: 'https://dl.dropboxusercontent.com/s/4j4z58wuv8o0mfz/models.zip (models/raft-things.pth)',
    recipe: 'tools/export/raft.py',
    license: 'BSD-3-Clause (princeton-vl/RAFT)',
  },
  {
    id: 'amt-s',
    description: 'AMT-S frame interpolation; VBench motion_smoothness',
    family: 'amt',
    upstream: 'https://huggingface.co/lalala125/AMT/resolve/main/amt-s.pth',
    recipe: 'tools/export/amt.py',
    license: 'CC BY-NC 4.0 (MCG-NKU/AMT, as vendored by VBench; non-commercial)',
  },
  {
    id: 'mask2former-swin-s-coco',
    description: 'Mask2Former Swin-S, COCO instance segmentation (mmdet 2.x mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco); GenEval object detector',
    family: 'mask2former',
    upstream:
      'https://download.openmmlab.com/mmdetection/v2.0/mask2former/mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco/mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco_20220504_001756-743b7d99.pth',
    recipe: 'tools/export/mask2former.py',
    license: 'Apache-2.0 (open-mmlab/mmdetection)',
  },
];

/**
 * Fixture models built by src/runtime/fixtures/build.ts (tools/fixtures/build-fixtures.ts writes them to a folder): random weights from a fixed seed, the
 * same signature as the model they stand in for. sha256 pins the exact bytes the builder makes.
 */
export const FIXTURE_MODELS = [
  { id: 'fixture-dino', standsInFor: 'dino-vitb16', sha256: 'd1ab8e0ae1d3cf2c0d2f1e3bd2beea96919eb1d50abcab335f4ae0fe5adc7ca7', bytes: 29860 },
  { id: 'fixture-clip-b32-image', standsInFor: 'clip-vit-b32-image', sha256: 'c8ac3ab4b5d092cd855d6eb80b6622350799e9e359804bd7e3b76dd578c08c03', bytes: 20660 },
  { id: 'fixture-clip-l14-image', standsInFor: 'clip-vit-l14-image', sha256: 'c20c7c1f0cd24cf4c58c473c558deb0a78ae30cf0b79e7356530abc4483039e9', bytes: 29876 },
  { id: 'fixture-aesthetic-head', standsInFor: 'laion-aesthetic-vit-l14', sha256: '4a37a3ed0a05f9047e06934ae61141f9d652763394ef9e1be52145974b27bd6e', bytes: 3390 },
  { id: 'fixture-musiq', standsInFor: 'musiq-spaq', sha256: '7cf0d94ed4ca5e254befd5bc87cc9ad4f9000c6c050b3ec6d7b70408e8302d7d', bytes: 12683 },
  { id: 'fixture-raft', standsInFor: 'raft-things', sha256: '30e88012033d297ccac9c567d21d8f235d09621461b165d1cc0eb874d2558917', bytes: 455 },
  { id: 'fixture-amt', standsInFor: 'amt-s', sha256: 'dde675ad2eb098298f75b0d81eb35ca00a9e08d83c05553f3515ce44dae82cd2', bytes: 579 },
  { id: 'fixture-mask2former', standsInFor: 'mask2former-swin-s-coco', sha256: 'e8b9bd7089d529241c4b8092f96118df85468fffb8e80f5896126e4c447c974e', bytes: 6837 },
  {
    id: 'fixture-clip-l14-text',
    standsInFor: 'clip-vit-l14-text',
    sha256: 'a7e889c389ace4bdcb8c89c0a90433dafc9aad1881cfd2066a5203b8cb8344ac',
    bytes: 60990,
    // The CLIP BPE reduced to the merges GenEval's 2,400 colour prompts use, with the real token ids.
    companions: [{ name: 'tokenizer.json', sha256: '9eb5f1d0c6f72cedb465797664d147ecf1743fcedfd3cc5b7cbb60bc6976577b', bytes: 11290 }],
  },
] as const satisfies readonly {
  id: string;
  standsInFor: MetricModelId;
  sha256: string;
  bytes: number;
  companions?: readonly { name: string; sha256: string; bytes: number }[];
}[];

export const FIXTURE_RECIPE = 'tools/fixtures/build-fixtures.ts';

/** Built-in registry entries (validated by registry.ts when loaded). */
export function builtinModelSpecInputs(): ModelSpecInput[] {
  const metric: ModelSpecInput[] = METRIC_ENTRIES.map((m) => ({
    id: m.id,
    description: m.description,
    family: m.family,
    status: 'export-required',
    files: [{ name: `${m.id}.onnx`, url: null, sha256: null }, ...(m.companions ?? []).map((name) => ({ name, url: null, sha256: null }))],
    ...contract(m.id),
    preprocess: PREPROCESS[m.id],
    source: { upstream: m.upstream, recipe: m.recipe },
    license: m.license,
    message:
      `no ONNX file of ${m.id} is published yet: export the official checkpoint with ${m.recipe}, ` +
      `then register it with \`genbench models import ${m.id} FILE.onnx${(m.companions ?? []).map((c) => ` --with ${c}=PATH`).join('')}\` (its signature is checked against this entry)`,
  }));
  const fixtures: ModelSpecInput[] = FIXTURE_MODELS.map((f) => {
    const real = METRIC_ENTRIES.find((m) => m.id === f.standsInFor)!;
    return {
      id: f.id,
      description: `tiny random-weight fixture with the signature of ${f.standsInFor} (smoke tests and the demo only; scores are meaningless)`,
      family: real.family,
      status: 'fixture',
      files: [
        { name: `${f.id}.onnx`, url: null, sha256: f.sha256, bytes: f.bytes },
        ...('companions' in f ? f.companions.map((c) => ({ name: c.name, url: null, sha256: c.sha256, bytes: c.bytes })) : []),
      ],
      ...contract(f.standsInFor),
      preprocess: PREPROCESS[f.standsInFor],
      source: { upstream: 'random weights from a fixed seed', recipe: FIXTURE_RECIPE },
      license: 'Apache-2.0 (genbench)',
      standsInFor: f.standsInFor,
      message: `fixture models are built locally: evaluate/bench/static-filter --fixture-models builds and imports them on first use; or run \`node --import tsx ${FIXTURE_RECIPE} DIR\`, then \`genbench models fetch ${f.id} --from DIR\``,
    };
  });
  return [...metric, ...fixtures];
}
