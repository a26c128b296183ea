/** Colour classification for the GenEval colour tasks: CLIP ViT-L/14 over ONNX (wired to color-classifier.ts). */
import { GenbenchError } from '../../core/errors.ts';
import type { GenevalColorSupport } from './task-dimension.ts';

export function clipColorSupport(): GenevalColorSupport {
  return {
    models: ['clip-vit-l14-image', 'clip-vit-l14-text'],
    settings: {},
    async forImage() {
      throw new GenbenchError('E_NOT_IMPLEMENTED', 'CLIP colour classification is not wired yet');
    },
  };
}
