/**
 * UMT ViT-L/16 (Kinetics-710 pre-training, Kinetics-400 fine-tuning, 16 frames, 224²), VBench
 * human_action: the model's table (model-table.ts). Officially a plain state dict loaded with
 * strict=False; tools/export/umt.py refuses a checkpoint with a missing or unexpected key.
 */
import type { MetricModelTable } from '../../runtime/model-table.ts';

/** Frames per clip (UMT's all_frames). */
export const UMT_FRAMES = 16;
/** Kinetics-400 classes (the head's width; names in kinetics-400.ts). */
export const UMT_CLASSES = 400;

/**
 * vbench/human_action.py data_transform on the frames of load_video(path, num_frames=16) (decord,
 * 'middle' indices, uint8 H×W×3): Resize(256, 'bilinear') = cv2.resize INTER_LINEAR of each frame to
 * short side 256 (long side int(256·long/short); unchanged when the short side is already 256),
 * CenterCrop(224) (offsets int(round((size − 224)/2))), ClipToTensor (float32, /255), Normalize(ImageNet).
 */
const UMT_TRANSFORM = {
  frames: { count: UMT_FRAMES, sample: 'middle', reader: 'vbench/utils.py load_video(num_frames=16) (decord for .mp4, PIL for .gif)' },
  resize: { size: 256, edge: 'shorter', interpolation: 'bilinear', impl: 'vbench/third_party/umt/functional.py resize_clip: cv2.resize INTER_LINEAR on uint8 (OpenCV 4.6)' },
  centerCrop: 224,
  scale: '1/255',
  normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
} as const;

/** What VBench makes of the logits (vbench/human_action.py): sigmoid, top 5, round(p, 4) ≥ 0.85 keeps a class. */
export const UMT_DECISION = { activation: 'sigmoid', topK: 5, roundDecimals: 4, threshold: 0.85 } as const;

export const UMT_VIT_L16_K400 = {
  id: 'umt-vit-l16-k400',
  family: 'umt',
  description: 'UMT ViT-L/16 video classifier, Kinetics-400 (16 frames, 224); VBench human_action',
  upstream: 'https://huggingface.co/OpenGVLab/VBench_Used_Models/resolve/main/l16_ptk710_ftk710_ftk400_f16_res224.pth',
  exportRecipe: 'tools/export/umt.py',
  license: 'MIT (OpenGVLab/unmasked_teacher)',
  inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, UMT_FRAMES, 224, 224] }],
  outputs: [{ name: 'logits', dtype: 'float32', shape: ['batch', UMT_CLASSES] }],
  preprocess: {
    official: 'vbench/human_action.py @45e79ec (create_model("vit_large_patch16_224", num_classes=400, all_frames=16, tubelet_size=1, use_mean_pooling=True), load_state_dict(strict=False), eval)',
    layout: '[batch, C=3, T=16, 224, 224], RGB (ClipToTensor order)',
    ...UMT_TRANSFORM,
    output: 'the classification head (mean-pooled tokens, fc_norm, head) before the sigmoid; class i = kinetics_400_categories.txt index i',
    decision: UMT_DECISION,
    labels: {
      file: 'vbench/third_party/umt/kinetics_400_categories.txt',
      read: 'lines "name<TAB>index", stripped, name lower-cased (build_dict)',
      builtIn: 'src/metrics/umt/kinetics-400.ts',
      sha256: '03fb6b85d45d0d0af866469d17007da2c058b42b6df837da549613cfd56caca3',
      sha256Of: 'the 400 names in index order joined by "\\n" (UTF-8)',
    },
  },
  fixture: { id: 'fixture-umt', architecture: 'video-classifier', seed: 23, sha256: 'b6fd3b952a23d8c8bbaaeab1099e511d97b29d9df5c12221915e466415201609', bytes: 16693 },
} as const satisfies MetricModelTable;

/** The family's models, for src/metrics/catalog.ts. */
export const UMT_MODELS = [UMT_VIT_L16_K400] as const;
