/** RAFT, things checkpoint (VBench dynamic_degree and the static filter): the model's table (model-table.ts). */
import type { MetricModelTable } from '../../runtime/model-table.ts';

export const RAFT_THINGS = {
  id: 'raft-things',
  family: 'raft',
  description: 'RAFT optical flow, things checkpoint, 20 iterations; VBench dynamic_degree',
  upstream: 'https://dl.dropboxusercontent.com/s/4j4z58wuv8o0mfz/models.zip (models/raft-things.pth)',
  exportRecipe: 'tools/export/raft.py',
  license: 'BSD-3-Clause (princeton-vl/RAFT)',
  inputs: [
    { name: 'image1', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
    { name: 'image2', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] },
  ],
  outputs: [{ name: 'flow', dtype: 'float32', shape: ['batch', 2, 'height', 'width'] }],
  preprocess: {
    official: 'vbench/dynamic_degree.py',
    layout: 'NCHW, RGB, float 0..255 (RAFT normalizes inside)',
    frames: 'every round(fps/8)-th frame',
    // Each byte v enters as v / divide: 0..255 as they are.
    values: { divide: 1 },
    pad: { divisor: 8, mode: 'sintel (centered)', fill: 'replicate' },
    iters: 20,
    output: 'flow_up (test_mode=True), before unpadding',
  },
  fixture: { id: 'fixture-raft', architecture: 'optical-flow', seed: 6, sha256: '30e88012033d297ccac9c567d21d8f235d09621461b165d1cc0eb874d2558917', bytes: 455 },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const RAFT_MODELS = [RAFT_THINGS] as const;
