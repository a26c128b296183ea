/**
 * GenEval's six tasks as dimensions of a run: every image is scored by the task its prompt's tag
 * names, exactly as `evaluate_image` of evaluation/evaluate_images.py (djghosh13/geneval @ af4902f)
 * scores it — the detector on the file as OpenCV decodes it, per-class filtering, the rule checks,
 * CLIP colour classification for the colour tasks — and its record keeps the official result row
 * (`correct`, `reason`, `metadata`, `details`) so results.jsonl can be written from the records.
 * A task's score is the fraction of its images that are correct (summary_scores.py).
 */
import { GenbenchError } from '../../core/errors.ts';
import { rgbToBgr, type RgbImage } from '../../media/image.ts';
import type { Dimension, DimensionContext, SampleRecord, SampleRef } from '../../core/contracts.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { readGenevalImage } from './color-classifier.ts';
import { DETECTOR_MODEL_ID, detect } from '../../metrics/mask2former/model.ts';
import type { InstanceDetection } from '../../metrics/mask2former/postprocess.ts';
import { pyFloat, pythonJsonDumps } from '../../core/pycompat/json.ts';
import { sha256Hex } from '../../core/hash.ts';
import { defineDimension } from '../../core/define-dimension.ts';
import {
  evaluateImageDetections,
  GENEVAL_OPTION_PARAMS,
  genevalOptionParams,
  genevalOptionsOf,
  type ColorClassifier,
  type Detection,
  type GenevalMetadata,
  type GenevalOptionParams,
  type GenevalOptions,
} from './task-checks.ts';
import { genevalTaskBefore } from './previous-settings.ts';

export const GENEVAL_OFFICIAL = 'djghosh13/geneval evaluation/evaluate_images.py @af4902f24d3ca90ebbb446dd9891a59e0f82725f';

/** The six tags of evaluation_metadata.jsonl, in the order of the prompt file and the paper's table. */
export const GENEVAL_TASK_IDS = ['single_object', 'two_object', 'counting', 'colors', 'position', 'color_attr'] as const;
export type GenevalTaskId = (typeof GENEVAL_TASK_IDS)[number];

/** Tasks whose rules classify colours (include clauses with a `color`). */
export const GENEVAL_COLOR_TASKS: readonly GenevalTaskId[] = ['colors', 'color_attr'];

/** A detector row as the task checks see it: the mmdet box and score, the binary mask, the 5 values as printed. */
export interface GenevalObject extends Detection<Uint8Array> {
  mask: Uint8Array;
  row: readonly [number, number, number, number, number];
}

/** What the colour tasks need besides the detector: a classifier for one image's objects. */
export interface GenevalColorSupport {
  /** Registry ids of the models colour classification uses (they enter the records' keys). */
  models: readonly string[];
  /** What changes colour results (precision of the logits, …); it enters the records' keys. */
  settings: Record<string, unknown>;
  /** Descriptions of the colour classification, recorded in run.json only. */
  notes?: Record<string, unknown>;
  /**
   * The colour settings records were keyed by before settings and notes were split (absent: they
   * were `settings`); see core/define-dimension.ts.
   */
  previousSettings?: Record<string, unknown>;
  /** A classifier for the objects of this image (`image` as PIL decodes it). */
  forImage(image: RgbImage, ctx: DimensionContext<ModelHandle>): Promise<ColorClassifier<GenevalObject>>;
}

/** The auxiliary info a GenEval sample carries (set by the evaluate step). */
export interface GenevalSampleInfo {
  metadata: GenevalMetadata;
  promptIndex: number;
  /** The image path as the official evaluator prints it (`os.path.join(IMAGEDIR, sub, "samples", name)`). */
  filename: string;
}

export function genevalInfo(sample: SampleRef): GenevalSampleInfo {
  const info = sample.auxiliary?.['geneval'] as GenevalSampleInfo | undefined;
  if (!info) throw new GenbenchError('E_RUN', `${sample.id}: no GenEval metadata attached to the sample`);
  return info;
}

/** mmdet's per-class rows → the task checks' objects (same order). */
export function toGenevalObjects(perClass: readonly (readonly InstanceDetection[])[]): GenevalObject[][] {
  return perClass.map((rows) =>
    rows.map((d) => ({ box: [d.box[0], d.box[1], d.box[2], d.box[3]] as const, score: d.box[4], mask: d.mask, row: d.box })),
  );
}

/** The official `details` column: `json.dumps({class: [[x1, y1, x2, y2, score], ...]})` over the kept classes. */
export function detailsJson(detected: ReadonlyMap<string, readonly GenevalObject[]>): string {
  const o: Record<string, unknown> = {};
  for (const [name, objects] of detected) o[name] = objects.map((d) => d.row.map(pyFloat));
  return pythonJsonDumps(o);
}

const NO_COLORS: ColorClassifier<GenevalObject> = () => {
  throw new GenbenchError('E_RUN', 'a colour check was asked for by a task without colour classification');
};

export interface GenevalTaskOptions {
  classNames: readonly string[];
  options?: Partial<GenevalOptions>;
  /** Needed by the colour tasks. */
  color?: GenevalColorSupport;
}

/**
 * One GenEval task as a run dimension (records: value = correct). Its parameters are the official
 * evaluator's options; the class-name list (its sha256) and the colour classifier's settings are
 * inputs that enter the keys too.
 */
export function createGenevalTaskDimension(task: GenevalTaskId, o: GenevalTaskOptions): Dimension<ModelHandle> {
  const usesColor = GENEVAL_COLOR_TASKS.includes(task);
  if (usesColor && !o.color) throw new GenbenchError('E_RUN', `GenEval task ${task} needs colour classification`);
  const color = usesColor ? o.color : undefined;
  const classNamesSha256 = sha256Hex(o.classNames.join('\n'));
  return defineDimension<GenevalOptionParams, ModelHandle>({
    id: task,
    suite: 'geneval',
    models: [DETECTOR_MODEL_ID, ...(color?.models ?? [])],
    params: GENEVAL_OPTION_PARAMS,
    // run.json has always kept the official options together (`options`), beside the inputs.
    settingsLayout: (values) => ({ options: values }),
    inputs: { classNamesSha256, ...(color ? { color: color.settings } : {}) },
    notes: {
      detector: 'mmdet 2.x test pipeline (imrescale 1333×800 cv2 bilinear, pad /32 with 128, imnormalize) → Mask2Former → instance post-processing',
      ...(color?.notes ? { color: color.notes } : {}),
      aggregate: 'correct images / images of the task (summary_scores.py)',
      official: GENEVAL_OFFICIAL,
    },
    previousSettings: (p) => genevalTaskBefore(p, classNamesSha256, color ? (color.previousSettings ?? color.settings) : undefined),
    scorer(p) {
      const options: GenevalOptions = genevalOptionsOf(p);
      return async function scoreSample(sample, ctx) {
        const info = genevalInfo(sample);
        if (info.metadata.tag !== task) throw new GenbenchError('E_RUN', `${sample.id} has tag ${info.metadata.tag}, not ${task}`);
        const detector = await ctx.models!.get(DETECTOR_MODEL_ID);
        // cv2.imdecode (BGR) for the detector and PIL's exif_transpose + convert("RGB") for CLIP decode the same
        // bytes to the same pixels (generated PNGs carry no EXIF orientation; one with a rotation is read rotated by both).
        const image = await readGenevalImage(sample.path);
        const perClass = await detect(detector, { width: image.width, height: image.height, channels: 3, data: rgbToBgr(image) });
        const classify = color ? await color.forImage(image, ctx) : NO_COLORS;
        const r = await evaluateImageDetections(info.metadata, toGenevalObjects(perClass), o.classNames, classify, options);
        return {
          value: r.correct,
          extra: {
            filename: info.filename,
            tag: info.metadata.tag,
            prompt: info.metadata.prompt ?? '',
            reason: r.reason,
            metadata: pythonJsonDumps(info.metadata),
            details: detailsJson(r.detected),
          },
        };
      };
    },
    /** summary_scores.py: correct images / scored images of the task. */
    aggregate(records: readonly SampleRecord[]) {
      const ok = records.filter((r) => r.ok);
      return ok.filter((r) => r.value === true).length / ok.length;
    },
  }).create(genevalOptionParams(o.options ?? {}));
}
