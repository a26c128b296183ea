/**
 * FROZEN — do not edit. The settings objects VBench dimensions had before their number-changing
 * parameters and their descriptions were split (core/define-dimension.ts), for given parameter
 * values: the records and run.json files written then were keyed by exactly these objects (stable
 * JSON, prose included), so they are found under them (score-dimension.ts, provenance.ts). The
 * descriptions a dimension shows now are its `notes`, in its own file; rewording those changes
 * nothing here. tests/core/define-dimension.test.ts checks these objects against the ones
 * genbench 341c381 built (tests/fixtures/runs/pre-define-dimension/settings.json).
 */
const OFFICIAL = 'Vchitect/VBench vbench/';
const AT = ' @45e79ec14e69a2187202c675d2dbce1a71843d53';
const CLIP_TRANSFORM = 'clip_transform(224): torchvision Resize(224, bicubic, antialias=False) on float 0..255, CenterCrop(224), /255, CLIP mean/std';

export function subjectConsistencyBefore(): Record<string, unknown> {
  return {
    frames: 'all (load_video)',
    transform: 'dino_transform(224): torchvision Resize(224, bilinear, antialias=False) on float 0..255, /255, ImageNet mean/std',
    model: 'dino-vitb16 (CLS after the final norm), one frame per run',
    aggregate: 'sum of video_sim / sum of (T - 1) (single-process official formula)',
    official: `${OFFICIAL}subject_consistency.py${AT}`,
  };
}

export function backgroundConsistencyBefore(p: { cosine: string }): Record<string, unknown> {
  return {
    frames: 'all (load_video)',
    transform: CLIP_TRANSFORM,
    model: 'clip-vit-b32-image (encode_image)',
    cosine: p.cosine,
    aggregate: 'sum of video_sim / sum of cnt_per_video',
    official: `${OFFICIAL}background_consistency.py${AT}`,
  };
}

export function temporalFlickeringBefore(): Record<string, unknown> {
  return {
    frames: 'all',
    reader: 'ffmpeg decode equal to OpenCV 4.6 cv2.VideoCapture (BGR, passthrough, BT.601, OpenCV rotation)',
    reduction: 'numpy float32 (8192-element buffers) per pair and per video, float64 across videos',
    official: `${OFFICIAL}temporal_flickering.py${AT}`,
  };
}

export function motionSmoothnessBefore(): Record<string, unknown> {
  return {
    files: '.mp4 only (the official code raises NotImplementedError for other files)',
    frames: 'all (cv2.VideoCapture, BGR->RGB); even frames interpolated, odd frames compared',
    model: 'amt-s, embt 0.5, scale_factor 1.0, one pair per run',
    padding: 'InputPadder divisor 16, replicate',
    output: 'tensor2img: float32 x*255, clip 0..255, truncate to uint8',
    reduction: 'per pair exact mean |Δ| (float64), per video (255 - np.mean)/255, np.mean over videos',
    official: `${OFFICIAL}motion_smoothness.py${AT}`,
  };
}

export function dynamicDegreeBefore(p: { exhaustive: boolean }): Record<string, unknown> {
  return {
    frames: 'every max(1, round_half_even(fps/8))-th frame, fps = OpenCV CAP_PROP_FPS',
    reader: 'ffmpeg decode equal to OpenCV 4.6 cv2.VideoCapture, BGR→RGB, float 0..255',
    pad: 'RAFT InputPadder sintel (centred), replicate, multiple of 8; flow not unpadded',
    model: 'raft-things, iters=20, test_mode=True, flow_up',
    score: 'mean of the top int(Hp*Wp*0.05) float32 flow magnitudes per pair; thres 6*min(H,W)/256, count_num round(N/4), check_move',
    aggregate: 'fraction of videos whose video_results is true (np.mean of booleans)',
    official: `${OFFICIAL}dynamic_degree.py${AT}`,
    pairs: p.exhaustive
      ? 'RAFT on every kept pair (the official loop)'
      : 'RAFT stops once check_move is decided (the official boolean; pair_scores then holds the pairs run)',
  };
}

export function aestheticQualityBefore(): Record<string, unknown> {
  return {
    frames: 'all (load_video)',
    transform: CLIP_TRANSFORM,
    model: 'clip-vit-l14-image → L2 normalize (fp32) → laion-aesthetic-vit-l14; score / 10; float32 mean over frames',
    aggregate: 'mean over videos',
    official: `${OFFICIAL}aesthetic_quality.py${AT}`,
  };
}

export function imagingQualityBefore(p: { preprocessing_mode: string; first_frames?: number | undefined }): Record<string, unknown> {
  return {
    frames: 'all (load_video)',
    preprocessing_mode: p.preprocessing_mode,
    transform:
      "transform(images, mode): 'longer' = when max(H,W) > 512 Resize((int(512/max*H), int(512/max*W)), bilinear, antialias=False) on float 0..255; then /255",
    model: 'musiq-spaq (pyiqa MUSIQ, SPAQ checkpoint), one frame per run; multiscale patches 224/384/original built in TypeScript',
    aggregate: 'video_results = mean of per-frame MOS (0-100); score = mean of video_results / 100',
    official: `${OFFICIAL}imaging_quality.py${AT}`,
    ...(p.first_frames !== undefined ? { first_frames: p.first_frames } : {}),
  };
}
