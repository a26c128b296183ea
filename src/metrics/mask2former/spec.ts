/** Mask2Former Swin-S, COCO (GenEval's object detector): the model's table (model-table.ts). */
import type { MetricModelTable } from '../../runtime/model-table.ts';

export const MASK2FORMER_SWIN_S_COCO = {
  id: 'mask2former-swin-s-coco',
  family: 'mask2former',
  description: 'Mask2Former Swin-S, COCO instance segmentation (mmdet 2.x mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco); GenEval object detector',
  upstream:
    'https://download.openmmlab.com/mmdetection/v2.0/mask2former/mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco/mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco_20220504_001756-743b7d99.pth',
  exportRecipe: 'tools/export/mask2former.py',
  license: 'Apache-2.0 (open-mmlab/mmdetection)',
  // height/width: multiples of 32 (dynamic); mask_height/mask_width = height/4, width/4.
  inputs: [{ name: 'pixel_values', dtype: 'float32', shape: [1, 3, 'height', 'width'] }],
  outputs: [
    { name: 'cls_logits', dtype: 'float32', shape: [1, 100, 81] },
    { name: 'mask_logits', dtype: 'float32', shape: [1, 100, 'mask_height', 'mask_width'] },
  ],
  preprocess: {
    official: 'geneval evaluation/evaluate_images.py inference_detector (mmdet 2.x test pipeline of mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco)',
    layout: 'NCHW, RGB (from the cv2.imdecode BGR image), batch 1',
    resize: { scale: [1333, 800], keepRatio: true, interpolation: 'bilinear', impl: 'mmcv.imrescale, OpenCV 8-bit INTER_LINEAR' },
    pad: { divisor: 32, where: 'bottom/right', value: 128, before: 'normalize' },
    normalize: { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], units: '0..255' },
    impl: 'src/metrics/mask2former/processor.ts',
    // 80 COCO classes + no-object; masks at 1/4 of the padded input.
    postprocess: { classes: 80, topK: 100, maskStride: 4 },
    output: "last decoder layer: cls_logits (80 COCO classes + no-object) and mask_logits at 1/4 of the padded input; src/metrics/mask2former/postprocess.ts does mmdet's instance post-processing",
  },
  fixture: { id: 'fixture-mask2former', architecture: 'instance-segmentation', seed: 9, sha256: 'e8b9bd7089d529241c4b8092f96118df85468fffb8e80f5896126e4c447c974e', bytes: 6837 },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const MASK2FORMER_MODELS = [MASK2FORMER_SWIN_S_COCO] as const;
