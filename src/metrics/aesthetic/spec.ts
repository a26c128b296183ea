/** The LAION aesthetic predictor (VBench aesthetic_quality): the model's table (model-table.ts). */
import type { MetricModelTable } from '../../runtime/model-table.ts';

export const LAION_AESTHETIC_VIT_L14 = {
  id: 'laion-aesthetic-vit-l14',
  family: 'aesthetic',
  description: 'LAION aesthetic predictor, linear head on CLIP ViT-L/14 embeddings (sa_0_4_vit_l_14_linear); VBench aesthetic_quality',
  upstream: 'https://raw.githubusercontent.com/LAION-AI/aesthetic-predictor/main/sa_0_4_vit_l_14_linear.pth',
  exportRecipe: 'tools/export/aesthetic_head.py',
  license: 'MIT (LAION-AI/aesthetic-predictor)',
  inputs: [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', 768] }],
  outputs: [{ name: 'score', dtype: 'float32', shape: ['batch', 1] }],
  preprocess: {
    official: 'vbench/aesthetic_quality.py',
    input: 'CLIP ViT-L/14 image embeddings, float32, L2-normalized',
    output: 'aesthetic score (about 0..10); VBench divides by 10',
  },
  fixture: { id: 'fixture-aesthetic-head', architecture: 'embedding-head', seed: 4, sha256: '4a37a3ed0a05f9047e06934ae61141f9d652763394ef9e1be52145974b27bd6e', bytes: 3390 },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const AESTHETIC_MODELS = [LAION_AESTHETIC_VIT_L14] as const;
