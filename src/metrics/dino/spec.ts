/** DINO ViT-B/16 (VBench subject_consistency): the model's table (model-table.ts). */
import type { MetricModelTable } from '../../runtime/model-table.ts';
import type { ImageTransformSpec } from '../common/image-transform.ts';

/** vbench/utils.py dino_transform(224): no crop, the aspect ratio kept. */
const DINO_TRANSFORM = {
  resize: { size: 224, edge: 'shorter', interpolation: 'bilinear', antialias: false, impl: 'torchvision 0.14 tensor Resize' },
  scale: '1/255',
  normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
} as const satisfies ImageTransformSpec;

export const DINO_VITB16 = {
  id: 'dino-vitb16',
  family: 'dino',
  description: 'DINO ViT-B/16 (self-supervised), CLS features; VBench subject_consistency',
  upstream: 'https://dl.fbaipublicfiles.com/dino/dino_vitbase16_pretrain/dino_vitbase16_pretrain.pth',
  exportRecipe: 'tools/export/dino.py',
  license: 'Apache-2.0 (facebookresearch/dino)',
  // The graph interpolates its position embeddings for any input size, as DINO does.
  inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }],
  outputs: [{ name: 'features', dtype: 'float32', shape: ['batch', 768] }],
  preprocess: {
    official: 'vbench/utils.py dino_transform(224) (subject_consistency)',
    layout: 'NCHW, RGB',
    ...DINO_TRANSFORM,
    output: 'CLS features of dino_vitb16; VBench L2-normalizes them',
  },
  fixture: { id: 'fixture-dino', architecture: 'image-embedding', seed: 1, sha256: 'd1ab8e0ae1d3cf2c0d2f1e3bd2beea96919eb1d50abcab335f4ae0fe5adc7ca7', bytes: 29860 },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const DINO_MODELS = [DINO_VITB16] as const;
