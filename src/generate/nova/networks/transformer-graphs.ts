/**
 * Writing the transformer's graphs for a checkpoint folder (transformer/config.json + safetensors)
 * as .onnx files ONNX Runtime can open.
 *
 * Weight delivery (measured with bench/nova.ts weights on the real osp480 temporal encoder, 387 MiB
 * of fp16, 2-core CPU): 'external' (in place) needs no extra disk and no conversion, and its session
 * creation folds the fp16→fp32 Cast and the Linear Transposes (3.1 s vs 1.5 s); 'converted' spends
 * 4.9 s once and 2× the checkpoint's size on disk (fp32). Peak RSS is about the same (1.96 vs
 * 2.06 GB). Default: 'external'. ORT refuses external data outside the model's folder, so in that
 * mode the graphs are written next to the safetensors (`genbench.<graph>.onnx`).
 */
import { join } from 'node:path';
import { type NovaTransformerConfig, loadTransformerConfig } from '../config.ts';
import { type WeightDelivery, writeGraphFile } from '../graph/graph-files.ts';
import type { WeightBinder } from '../graph/weights.ts';
import { type TensorSource, openSafetensors } from '../safetensors.ts';
import { buildDiffusionHeadGraph } from './diffusion-head.ts';
import { buildMixerGraph, buildSpatialStepGraph, buildTemporalStepGraph, buildTextConditionGraph } from './transformer.ts';

export type { WeightDelivery } from '../graph/graph-files.ts';

export const TRANSFORMER_GRAPHS = ['text_condition', 'temporal_step', 'mixer', 'spatial_step', 'diffusion_head'] as const;
export type TransformerGraphName = (typeof TRANSFORMER_GRAPHS)[number];

export interface TransformerGraphFiles {
  config: NovaTransformerConfig;
  files: Partial<Record<TransformerGraphName, string>>;
  /** text_embed.weight rows [0, text_token_len): the null/pad text buffer. */
  nullText: Float32Array;
}

function graphBytes(name: TransformerGraphName, w: WeightBinder, cfg: NovaTransformerConfig): Uint8Array | null {
  switch (name) {
    case 'text_condition':
      return buildTextConditionGraph(w, cfg);
    case 'temporal_step':
      return buildTemporalStepGraph(w, cfg);
    case 'mixer':
      return cfg.mixerRank === null ? null : buildMixerGraph(w, cfg);
    case 'spatial_step':
      return buildSpatialStepGraph(w, cfg);
    case 'diffusion_head':
      return buildDiffusionHeadGraph(w, { depth: cfg.head.depth, width: cfg.head.width, condDim: cfg.spatial.width, patchSize: cfg.patchSize, imageDim: cfg.imageDim });
  }
}

/** The null text buffer rows the official TextEmbed starts every prompt from. */
export function nullTextRows(source: TensorSource, cfg: NovaTransformerConfig): Float32Array {
  const e = source.entry('text_embed.weight');
  if (e.shape.length !== 2 || e.shape[1] !== cfg.textTokenDim || e.shape[0] < cfg.textTokenLen) {
    throw new Error(`text_embed.weight has shape [${e.shape.join(',')}], expected [≥${cfg.textTokenLen}, ${cfg.textTokenDim}]`);
  }
  return source.float32('text_embed.weight').slice(0, cfg.textTokenLen * cfg.textTokenDim);
}

/**
 * Build and write every transformer graph of `transformerDir` (config.json + safetensors).
 * `outDir` is where 'embed' and 'converted' graphs go (default: the weights' folder); 'external'
 * graphs always go next to the weights.
 */
export function writeTransformerGraphs(transformerDir: string, opts: { delivery?: WeightDelivery; outDir?: string } = {}): TransformerGraphFiles {
  const delivery = opts.delivery ?? 'external';
  const cfg = loadTransformerConfig(join(transformerDir, 'config.json'));
  const source = openSafetensors(transformerDir);
  try {
    const files: TransformerGraphFiles['files'] = {};
    for (const name of TRANSFORMER_GRAPHS) {
      const path = writeGraphFile(source, name, delivery, opts.outDir, cfg, (w) => graphBytes(name, w, cfg));
      if (path) files[name] = path;
    }
    return { config: cfg, files, nullText: nullTextRows(source, cfg) };
  } finally {
    source.close();
  }
}
