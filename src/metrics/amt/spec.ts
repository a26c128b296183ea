/** AMT-S frame interpolation (VBench motion_smoothness): the model's table (model-table.ts). */
import type { MetricModelTable } from '../../runtime/model-table.ts';

export const AMT_S = {
  id: 'amt-s',
  family: 'amt',
  description: 'AMT-S frame interpolation; VBench motion_smoothness',
  upstream: 'https://huggingface.co/lalala125/AMT/resolve/main/amt-s.pth',
  exportRecipe: 'tools/export/amt.py',
  license: 'CC BY-NC 4.0 (MCG-NKU/AMT, as vendored by VBench; non-commercial)',
  inputs: [
    { name: 'img0', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
    { name: 'img1', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
    { name: 'embt', dtype: 'float32', shape: ['batch', 1, 1, 1] },
  ],
  outputs: [{ name: 'imgt_pred', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }],
  preprocess: {
    official: 'vbench/motion_smoothness.py',
    layout: 'NCHW, RGB, float 0..1 (img2tensor)',
    // Each byte v enters as float32(v / 255).
    values: { divide: 255 },
    // InputPadder(shape, int(16 / scale)) with scale 1 (what every official run uses).
    pad: { divisor: 16, fill: 'replicate' },
    embt: 0.5,
    scaleFactor: 1.0,
    output: 'imgt_pred, before unpadding; tensor2img: float32 x*255, clip 0..255, truncate to uint8',
  },
  fixture: { id: 'fixture-amt', architecture: 'frame-interpolation', seed: 7, sha256: 'dde675ad2eb098298f75b0d81eb35ca00a9e08d83c05553f3515ce44dae82cd2', bytes: 579 },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const AMT_MODELS = [AMT_S] as const;
