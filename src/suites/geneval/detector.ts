/**
 * GenEval's object detector over ONNX Runtime: an 8-bit BGR image (as cv2.imdecode gives it) →
 * mmdet's test pipeline (detector-input.ts) → the Mask2Former ONNX graph (contract
 * `pixel_values` [1, 3, H_pad, W_pad] → `cls_logits` [1, Q, 81], `mask_logits` [1, Q, H_pad/4, W_pad/4])
 * → mmdet's instance post-processing (mask2former-postprocess.ts): per class, the
 * `[x1, y1, x2, y2, score]` rows and binary masks that `inference_detector` returns.
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import type { U8Image } from '../../media/resize/opencv-resize.ts';
import { detectorInput } from './detector-input.ts';
import { MASK2FORMER_CLASSES, mask2formerInstances, type InstanceDetection, type Mask2FormerOutputs } from './mask2former-postprocess.ts';

export const DETECTOR_MODEL_ID = 'mask2former-swin-s-coco';

/** Runs the network on one BGR image and returns mmdet's per-class detections (index = class). */
export async function detectInstances(session: ort.InferenceSession, bgr: U8Image): Promise<InstanceDetection[][]> {
  const input = detectorInput(bgr);
  const { padH, padW } = input.geometry;
  const out = await session.run({ pixel_values: new ort.Tensor('float32', input.data, [1, 3, padH, padW]) });
  const cls = out['cls_logits'];
  const masks = out['mask_logits'];
  if (!cls || !masks) throw new GenbenchError('E_SIGNATURE', 'the detector returned no cls_logits/mask_logits', 'export it with tools/export/mask2former.py');
  const [, queries, classes] = cls.dims;
  const [, mq, maskH, maskW] = masks.dims;
  if (classes !== MASK2FORMER_CLASSES + 1 || mq !== queries || maskH !== padH / 4 || maskW !== padW / 4) {
    throw new GenbenchError(
      'E_SIGNATURE',
      `detector outputs have shapes cls_logits [${cls.dims.join(', ')}], mask_logits [${masks.dims.join(', ')}] for an input of ${padH}×${padW}; expected [1, Q, 81] and [1, Q, ${padH / 4}, ${padW / 4}]`,
      'the ONNX file does not follow the mask2former-swin-s-coco contract: re-export it with tools/export/mask2former.py',
    );
  }
  const o: Mask2FormerOutputs = {
    queries: queries!,
    clsLogits: cls.data as Float32Array,
    maskLogits: masks.data as Float32Array,
    maskH: maskH!,
    maskW: maskW!,
  };
  return mask2formerInstances(o, input.geometry);
}
