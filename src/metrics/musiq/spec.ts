/** MUSIQ, SPAQ checkpoint (VBench imaging_quality): the model's table (model-table.ts). */
import type { MetricModelTable } from '../../runtime/model-table.ts';

/** pyiqa MUSIQ's multiscale patches (get_multiscale_patches): patch 32, hash grid 10, longer sides 224 and 384, then the native scale. */
const PATCHES = { size: 32, hashGrid: 10, longerSideLengths: [224, 384], interpolation: 'bicubic', input: '(x - 0.5) * 2' } as const;

export const MUSIQ_SPAQ = {
  id: 'musiq-spaq',
  family: 'musiq',
  description: 'MUSIQ trained on SPAQ (pyiqa weights); VBench imaging_quality',
  upstream: 'https://github.com/chaofengc/IQA-PyTorch/releases/download/v0.1-weights/musiq_spaq_ckpt-358bb6af.pth',
  exportRecipe: 'tools/export/musiq.py',
  license: 'CC BY-NC-SA 4.0 (chaofengc/IQA-PyTorch weights; non-commercial)',
  // MUSIQ's own token tensor: per token 3·32·32 pixels in [−1, 1] (unfold order), hashed spatial
  // index, scale id, mask; processor.ts builds it exactly.
  inputs: [{ name: 'patches', dtype: 'float32', shape: ['batch', 'tokens', 3 * PATCHES.size * PATCHES.size + 3] }],
  outputs: [{ name: 'score', dtype: 'float32', shape: ['batch', 1] }],
  preprocess: {
    official: "vbench/imaging_quality.py transform(images, 'longer') + pyiqa MUSIQ's multiscale patch preprocessing",
    layout: 'one frame per call: MUSIQ tokens [1, 49 + 144 + ceil(h/32)·ceil(w/32), 3075] (scales 224, 384, native; patch 32; hash grid 10)',
    resize: { when: 'max(h,w) > 512', limit: 512, size: '(int(512/max(h,w)*h), int(512/max(h,w)*w))', interpolation: 'bilinear', antialias: false, impl: 'torchvision 0.14 tensor Resize' },
    scale: '1/255',
    patches: PATCHES,
    output: 'MUSIQ quality score (0..100); VBench divides the mean by 100',
  },
  fixture: { id: 'fixture-musiq', architecture: 'token-head', seed: 5, sha256: '7cf0d94ed4ca5e254befd5bc87cc9ad4f9000c6c050b3ec6d7b70408e8302d7d', bytes: 12683 },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const MUSIQ_MODELS = [MUSIQ_SPAQ] as const;
