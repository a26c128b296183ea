/**
 * The resize/crop/normalize cases of tests/golden/resize.json (written by
 * tools/parity/resize_golden.py from Pillow 9.4 and torchvision 0.14.1 / torch 1.13), computed
 * with our kernels. Shared by the parity test and the benchmark.
 */
import { rgbToPlanarFloat, type PlanarTensor, type RgbImage } from '../../src/media/image.ts';
import { roundHalfEven } from '../../src/core/pycompat/round.ts';
import { pilResize } from '../../src/media/resize/pil-resample.ts';
import {
  CLIP_MEAN,
  CLIP_STD,
  IMAGENET_MEAN,
  IMAGENET_STD,
  centerCropImage,
  centerCropTensor,
  divide255,
  normalizeInPlace,
  resizeImage,
  resizeTensor,
  toTensor,
} from '../../src/media/resize/torchvision.ts';
import type { TorchMode } from '../../src/media/resize/torch-interpolate.ts';

/** Python's round() for the case sizes, as the golden script uses it. */
const pyRound = roundHalfEven;

export type CaseOutput = { kind: 'uint8'; data: Uint8Array } | { kind: 'float32'; data: Float32Array };

function u8(img: RgbImage): CaseOutput {
  return { kind: 'uint8', data: img.data };
}
function f32(t: PlanarTensor): CaseOutput {
  return { kind: 'float32', data: t.data };
}
function tensorAsUint8(t: PlanarTensor): CaseOutput {
  return { kind: 'uint8', data: Uint8Array.from(t.data) };
}

export function resizeCases(img: RgbImage): Record<string, () => CaseOutput> {
  const { width: w, height: h } = img;
  const x = () => rgbToPlanarFloat(img);
  const cases: Record<string, () => CaseOutput> = {
    pil_bicubic_short224: () => u8(resizeImage(img, 224, 'bicubic')),
    pil_bilinear_short224: () => u8(resizeImage(img, 224, 'bilinear')),
    pil_bicubic_up: () => u8(pilResize(img, pyRound(w * 1.37), pyRound(h * 1.21), 'bicubic')),
    pil_bilinear_odd: () => u8(pilResize(img, Math.floor(w / 3) + 1, Math.floor(h / 2) + 3, 'bilinear')),
    pil_bicubic_shrink7: () => u8(pilResize(img, Math.max(1, Math.floor(w / 7)), Math.max(1, Math.floor(h / 7)), 'bicubic')),
    clip_image_transform: () =>
      f32(normalizeInPlace(toTensor(centerCropImage(resizeImage(img, 224, 'bicubic'), 224)), CLIP_MEAN, CLIP_STD)),
    dino_image_transform: () => f32(normalizeInPlace(toTensor(resizeImage(img, 224, 'bilinear')), IMAGENET_MEAN, IMAGENET_STD)),
  };
  const up: [number, number] = [pyRound(h * 1.29), pyRound(w * 1.43)];
  const odd: [number, number] = [Math.floor(h / 3) + 1, Math.floor(w / 2) + 3];
  for (const mode of ['bilinear', 'bicubic'] as TorchMode[]) {
    for (const antialias of [false, true]) {
      const tag = antialias ? '_aa' : '';
      cases[`t_${mode}${tag}_short224`] = () => f32(resizeTensor(x(), 224, { mode, antialias }));
      cases[`t_${mode}${tag}_up`] = () => f32(resizeTensor(x(), up, { mode, antialias }));
      cases[`t_${mode}${tag}_odd`] = () => f32(resizeTensor(x(), odd, { mode, antialias }));
      cases[`t_${mode}${tag}_uint8_short224`] = () => tensorAsUint8(resizeTensor(x(), 224, { mode, antialias, dtype: 'uint8' }));
    }
  }
  cases.clip_tensor_float = () =>
    f32(normalizeInPlace(divide255(centerCropTensor(resizeTensor(x(), 224, { mode: 'bicubic' }), 224)), CLIP_MEAN, CLIP_STD));
  cases.clip_tensor_uint8 = () =>
    f32(normalizeInPlace(divide255(centerCropTensor(resizeTensor(x(), 224, { mode: 'bicubic', dtype: 'uint8' }), 224)), CLIP_MEAN, CLIP_STD));
  cases.dino_tensor_float = () => f32(normalizeInPlace(divide255(resizeTensor(x(), 224, { mode: 'bilinear' })), IMAGENET_MEAN, IMAGENET_STD));
  return cases;
}
