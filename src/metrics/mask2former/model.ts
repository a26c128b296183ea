/**
 * Mask2Former as a typed call (GenEval's object detector): an 8-bit BGR image (as cv2.imdecode
 * gives it) → mmdet's test pipeline (processor.ts) → the ONNX graph (contract in spec.ts:
 * `pixel_values` [1, 3, H_pad, W_pad] → `cls_logits` [1, Q, 81], `mask_logits` [1, Q, H_pad/4, W_pad/4])
 * → mmdet's instance post-processing (postprocess.ts): per class, the `[x1, y1, x2, y2, score]`
 * rows and binary masks that `inference_detector` returns.
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import type { U8Image } from '../../media/resize/opencv-resize.ts';
import type { SessionModel } from '../common/tensor-io.ts';
import { detectorInput } from './processor.ts';
import { MASK2FORMER_CLASSES, mask2formerInstances, type InstanceDetection, type Mask2FormerOutputs } from './postprocess.ts';
import { MASK2FORMER_SWIN_S_COCO } from './spec.ts';

/** The registry id of GenEval's detector. */
export const DETECTOR_MODEL_ID = MASK2FORMER_SWIN_S_COCO.id;

const [INPUT] = MASK2FORMER_SWIN_S_COCO.inputs;
const [CLS, MASKS] = MASK2FORMER_SWIN_S_COCO.outputs;
const MASK_STRIDE = MASK2FORMER_SWIN_S_COCO.preprocess.postprocess.maskStride;

/** Runs the network on one BGR image and returns mmdet's per-class detections (index = class). */
export async function detect(model: SessionModel, bgr: U8Image): Promise<InstanceDetection[][]> {
  const input = detectorInput(bgr);
  const { padH, padW } = input.geometry;
  const out = await model.session.run({ [INPUT.name]: new ort.Tensor('float32', input.data, [1, 3, padH, padW]) });
  const cls = out[CLS.name];
  const masks = out[MASKS.name];
  if (!cls || !masks) throw new GenbenchError('E_SIGNATURE', `the detector returned no ${CLS.name}/${MASKS.name}`, `export it with ${MASK2FORMER_SWIN_S_COCO.exportRecipe}`);
  const [, queries, classes] = cls.dims;
  const [, mq, maskH, maskW] = masks.dims;
  if (classes !== MASK2FORMER_CLASSES + 1 || mq !== queries || maskH !== padH / MASK_STRIDE || maskW !== padW / MASK_STRIDE) {
    throw new GenbenchError(
      'E_SIGNATURE',
      `detector outputs have shapes ${CLS.name} [${cls.dims.join(', ')}], ${MASKS.name} [${masks.dims.join(', ')}] for an input of ${padH}×${padW}; expected [1, Q, ${MASK2FORMER_CLASSES + 1}] and [1, Q, ${padH / MASK_STRIDE}, ${padW / MASK_STRIDE}]`,
      `the ONNX file does not follow the ${MASK2FORMER_SWIN_S_COCO.id} contract: re-export it with ${MASK2FORMER_SWIN_S_COCO.exportRecipe}`,
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
