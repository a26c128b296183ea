/**
 * GenEval's per-image rule checks, model-free: what `evaluation/evaluate_images.py`
 * (djghosh13/geneval @ af4902f) does after the detector and around the CLIP colour classifier.
 *
 *  - `filterDetections`: the per-class filtering of `evaluate_image` (score-descending order, strict
 *    threshold, at most `maxObjects`, optional greedy NMS that the default `maxOverlap = 1` disables);
 *  - `evaluateDetections`: the rule evaluation of `evaluate` (include clauses with count, colour and
 *    position checks; exclude clauses), producing `{correct, reason}` with the official reason strings;
 *  - `relativePosition` / `computeIou`: the two geometric helpers, in the official float arithmetic.
 *
 * Colour classification (CLIP ViT-L/14 in the official code) is an input: a callback that gets the
 * class name and the objects to classify (the top-`count` detections of the clause, score order) and
 * returns one colour word of `GENEVAL_COLORS` per object.
 *
 * Float semantics (NumPy 1.23, the pinned version): detector rows are float32. The score threshold is an
 * array-vs-Python-float comparison, done in float32 (the threshold is rounded to float32 first: a score of
 * exactly float32(0.3) is *not* above 0.3). `relative_position` runs entirely in float32 (array ops);
 * `compute_iou` mixes float32 scalar subtraction with float64 for the `+ 1` and everything after (NumPy 1.x
 * scalar promotion).
 *
 * Parity: tests/golden/geneval-tasks.json (tools/parity/geneval_tasks_golden.py runs the official script).
 */

import type { ParamSpecs } from '../../core/define-dimension.ts';

/** `COLORS` of evaluate_images.py, in its order (the reason tail and CLIP's argmax ties use it). */
export const GENEVAL_COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'black', 'white'] as const;
export type GenevalColor = (typeof GENEVAL_COLORS)[number];

/** Official defaults (`--options` keys in parentheses), read in evaluate_images.py's `__main__` block. */
export const GENEVAL_THRESHOLD = 0.3; // threshold: min score (strict >) for every tag but counting
export const GENEVAL_COUNTING_THRESHOLD = 0.9; // counting_threshold: min score (strict >) when tag == "counting"
export const GENEVAL_MAX_OBJECTS = 16; // max_objects: detections kept per class (highest scores)
export const GENEVAL_NMS_THRESHOLD = 1.0; // max_overlap: greedy per-class NMS IoU; 1 disables NMS
export const GENEVAL_POSITION_THRESHOLD = 0.1; // position_threshold: box-size fraction taken off centre offsets

export interface GenevalOptions {
  threshold: number;
  countingThreshold: number;
  maxObjects: number;
  maxOverlap: number;
  positionThreshold: number;
}

export const GENEVAL_DEFAULT_OPTIONS: Readonly<GenevalOptions> = Object.freeze({
  threshold: GENEVAL_THRESHOLD,
  countingThreshold: GENEVAL_COUNTING_THRESHOLD,
  maxObjects: GENEVAL_MAX_OBJECTS,
  maxOverlap: GENEVAL_NMS_THRESHOLD,
  positionThreshold: GENEVAL_POSITION_THRESHOLD,
});

/** Python's float() of a command-line text (inf, nan, underscores between digits); throws when Python would. */
function pythonFloat(text: string): number {
  const s = text.trim();
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][+-]?\d+(_\d+)*)?$/.test(s)) return Number(s.replace(/_/g, ''));
  throw new Error('not a number Python float() reads');
}

/** Python's int() of a command-line text (base 10, underscores between digits); throws when Python would. */
function pythonInt(text: string): number {
  const s = text.trim();
  if (/^[+-]?\d+(_\d+)*$/.test(s)) return Number(s.replace(/_/g, ''));
  throw new Error('not a whole number Python int() reads');
}

/** The official evaluator's `--options` values, by their official keys. */
export type GenevalOptionParams = {
  threshold: number;
  counting_threshold: number;
  max_objects: number;
  max_overlap: number;
  position_threshold: number;
};

/** The official `--options` keys as declared parameters (the GenEval task dimensions' params). */
export const GENEVAL_OPTION_PARAMS: ParamSpecs<GenevalOptionParams> = {
  threshold: { parse: pythonFloat, default: GENEVAL_THRESHOLD, help: 'min detection score (strict >) for every tag but counting', changesNumbers: true },
  counting_threshold: { parse: pythonFloat, default: GENEVAL_COUNTING_THRESHOLD, help: 'min detection score (strict >) when the tag is counting', changesNumbers: true },
  max_objects: { parse: pythonInt, default: GENEVAL_MAX_OBJECTS, help: 'detections kept per class (highest scores)', changesNumbers: true },
  max_overlap: { parse: pythonFloat, default: GENEVAL_NMS_THRESHOLD, help: 'IoU of the greedy per-class NMS; 1 disables it', changesNumbers: true },
  position_threshold: { parse: pythonFloat, default: GENEVAL_POSITION_THRESHOLD, help: 'box-size fraction taken off the centre offsets of position checks', changesNumbers: true },
};

/** The task checks' options from the parameters' values. */
export function genevalOptionsOf(p: Readonly<GenevalOptionParams>): GenevalOptions {
  return { threshold: p.threshold, countingThreshold: p.counting_threshold, maxObjects: p.max_objects, maxOverlap: p.max_overlap, positionThreshold: p.position_threshold };
}

/** The parameters' values of the task checks' options (the keys the official script reads). */
export function genevalOptionParams(o: Partial<GenevalOptions>): Partial<GenevalOptionParams> {
  return { threshold: o.threshold, counting_threshold: o.countingThreshold, max_objects: o.maxObjects, max_overlap: o.maxOverlap, position_threshold: o.positionThreshold };
}

/** The official `--options k=v` strings (threshold, counting_threshold, max_objects, max_overlap,
 * position_threshold; others ignored here) over the defaults, parsed like Python float()/int(). */
export function genevalOptionsFrom(options: Readonly<Record<string, string>>): GenevalOptions {
  const values: Record<string, number> = {};
  for (const [k, spec] of Object.entries(GENEVAL_OPTION_PARAMS) as [keyof GenevalOptionParams, ParamSpecs<GenevalOptionParams>[keyof GenevalOptionParams]][]) {
    const v = Object.hasOwn(options, k) ? options[k] : undefined;
    if (v === undefined) {
      values[k] = spec.default;
      continue;
    }
    try {
      values[k] = spec.parse!(v);
    } catch {
      throw new Error(`invalid --options ${k}=${v}`);
    }
  }
  return genevalOptionsOf(values as GenevalOptionParams);
}

/** One include clause of the metadata (`position` = [relation, index into include]). */
export interface GenevalInclude {
  class: string;
  count: number;
  color?: string;
  position?: readonly [string, number];
}
export interface GenevalExclude {
  class: string;
  count: number;
}
export interface GenevalMetadata {
  tag: string;
  include?: readonly GenevalInclude[];
  exclude?: readonly GenevalExclude[];
  prompt?: string;
}

export type Box = readonly [number, number, number, number];

/** One detector row: the mmdet `[x1, y1, x2, y2, score]` (float32 values) and whatever mask the caller keeps. */
export interface Detection<M = unknown> {
  box: Box;
  score: number;
  mask?: M;
}

/** Predicted colour words, one per object, in the order given (the official `color_classification`). */
export type ColorClassifier<D> = (className: string, objects: readonly D[]) => readonly string[] | Promise<readonly string[]>;

export interface GenevalCheck {
  correct: boolean;
  /** Failure reasons joined by "\n"; "" when correct. */
  reason: string;
}

const f32 = Math.fround;

/** `np.argsort(scores)[::-1]` for float32 scores: descending; equal scores come out highest index first
 * (NumPy 1.23's quicksort is an insertion sort below 17 elements, i.e. stable ascending, then reversed).
 * NaN sorts last ascending, i.e. first here (then fails every threshold). */
function descendingOrder(scores: readonly number[]): number[] {
  const idx = scores.map((_, i) => i);
  idx.sort((a, b) => {
    const sa = scores[a], sb = scores[b];
    const na = Number.isNaN(sa), nb = Number.isNaN(sb);
    if (na || nb) return na && nb ? b - a : na ? -1 : 1;
    return sb - sa || b - a;
  });
  return idx;
}

/**
 * The per-class filtering of `evaluate_image`: for every class index (name = `classNames[index]`),
 * rows ordered by score descending, kept if `score > threshold` (float32 comparison; `countingThreshold`
 * when `tag == "counting"`), the first `maxObjects`, then greedy NMS dropping rows with IoU >= `maxOverlap`
 * against each kept row — skipped when `maxOverlap == 1`. Classes left empty are absent; insertion order is
 * class-index order. The objects are returned as given (same references).
 */
export function filterDetections<D extends Detection>(
  perClass: ReadonlyArray<ReadonlyArray<D>>,
  classNames: readonly string[],
  tag: string,
  options: Partial<GenevalOptions> = {},
): Map<string, D[]> {
  const o = { ...GENEVAL_DEFAULT_OPTIONS, ...options };
  const thr = f32(tag !== 'counting' ? o.threshold : o.countingThreshold);
  const detected = new Map<string, D[]>();
  classNames.forEach((name, index) => {
    const rows = perClass[index] ?? [];
    const scores = rows.map((r) => f32(r.score));
    let ordering = descendingOrder(scores).filter((i) => scores[i] > thr);
    ordering = pySliceHead(ordering, o.maxObjects);
    const kept: D[] = [];
    while (ordering.length > 0) {
      const max = ordering.shift()!;
      kept.push(rows[max]);
      ordering = ordering.filter((i) => o.maxOverlap === 1 || computeIou(rows[max].box, rows[i].box) < o.maxOverlap);
    }
    if (kept.length > 0) detected.set(name, kept);
  });
  return detected;
}

/** Python `seq[:n]` (a negative n drops from the end). */
function pySliceHead<T>(a: readonly T[], n: number): T[] {
  return a.slice(0, n);
}

/** `compute_iou`: inclusive-pixel areas `max(x2 - x1 + 1, 0) * max(y2 - y1 + 1, 0)`; the coordinate
 * differences are float32, the rest float64 (NumPy 1.x scalar promotion); 0 when the union is 0. */
export function computeIou(a: Box, b: Box): number {
  const area = (x1: number, y1: number, x2: number, y2: number): number =>
    Math.max(f32(f32(x2) - f32(x1)) + 1, 0) * Math.max(f32(f32(y2) - f32(y1)) + 1, 0);
  const i = area(
    Math.max(f32(a[0]), f32(b[0])), Math.max(f32(a[1]), f32(b[1])),
    Math.min(f32(a[2]), f32(b[2])), Math.min(f32(a[3]), f32(b[3])),
  );
  const u = area(a[0], a[1], a[2], a[3]) + area(b[0], b[1], b[2], b[3]) - i;
  return u ? i / u : 0;
}

/**
 * `relative_position(A, B)`: the relations of A to B among "left of", "right of", "above", "below"
 * (returned in that order; the official returns a Python set), in float32: centre offset A - B, reduced per
 * axis by `positionThreshold * (dim_a + dim_b)` (clamped at 0, sign kept); none when both reduced offsets
 * are below 1e-3; otherwise each reduced offset over the Euclidean norm of the raw offset, compared with ±0.5.
 */
export function relativePosition(a: Box, b: Box, positionThreshold = GENEVAL_POSITION_THRESHOLD): string[] {
  const pt = f32(positionThreshold);
  const centre = (p: number, q: number): number => f32(f32(f32(p) + f32(q)) / 2);
  const dim = (p: number, q: number): number => Math.abs(f32(f32(q) - f32(p)));
  const off = [f32(centre(a[0], a[2]) - centre(b[0], b[2])), f32(centre(a[1], a[3]) - centre(b[1], b[3]))];
  const dims = [f32(dim(a[0], a[2]) + dim(b[0], b[2])), f32(dim(a[1], a[3]) + dim(b[1], b[3]))];
  const revised = off.map((o, k) => Math.max(f32(Math.abs(o) - f32(pt * dims[k])), 0) * Math.sign(o));
  const eps = f32(1e-3);
  if (Math.abs(revised[0]) < eps && Math.abs(revised[1]) < eps) return [];
  // np.linalg.norm of a float32 vector: sqrt(x.dot(x)) in float32 (see the report on the last-ulp caveat)
  const norm = f32(Math.sqrt(f32(f32(off[0] * off[0]) + f32(off[1] * off[1]))));
  const dx = f32(revised[0] / norm);
  const dy = f32(revised[1] / norm);
  const rels: string[] = [];
  if (dx < -0.5) rels.push('left of');
  if (dx > 0.5) rels.push('right of');
  if (dy < -0.5) rels.push('above');
  if (dy > 0.5) rels.push('below');
  return rels;
}

function countOf(a: readonly string[], v: string): number {
  let n = 0;
  for (const x of a) if (x === v) n++;
  return n;
}

/**
 * The official `evaluate(image, objects, metadata)` on already-filtered detections (`filterDetections`).
 * Include clauses in order: the top-`count` detections of the class; fewer than `count` → fail
 * ("expected C>=N, found k"); else the colour check (all of them must be classified as the colour) and,
 * if still matched, the position check against the objects of the referenced clause (every object × every
 * target must have the relation; the first failing pair ends the clause). Exclude clauses: fail when the
 * filtered list has >= count entries. Failures do not stop later clauses.
 *
 * The relation words in a "found ... target" reason are joined in `relativePosition` order; the official
 * joins a Python set, whose order for two relations depends on PYTHONHASHSEED.
 */
export async function evaluateDetections<D extends Detection>(
  metadata: GenevalMetadata,
  detected: ReadonlyMap<string, readonly D[]>,
  classifyColors: ColorClassifier<D>,
  options: Partial<GenevalOptions> = {},
): Promise<GenevalCheck> {
  const o = { ...GENEVAL_DEFAULT_OPTIONS, ...options };
  let correct = true;
  const reason: string[] = [];
  const matchedGroups: (readonly D[] | null)[] = [];
  for (const req of metadata.include ?? []) {
    const cls = req.class;
    let matched = true;
    const found = pySliceHead(detected.get(cls) ?? [], req.count);
    if (found.length < req.count) {
      correct = matched = false;
      reason.push(`expected ${cls}>=${req.count}, found ${found.length}`);
    } else {
      if (req.color !== undefined) {
        const colors = await classifyColors(cls, found);
        if (colors.length !== found.length) throw new Error(`colour classifier returned ${colors.length} colours for ${found.length} objects`);
        const k = countOf(colors, req.color);
        if (k < req.count) {
          correct = matched = false;
          const tail = GENEVAL_COLORS.filter((c) => colors.includes(c)).map((c) => `${countOf(colors, c)} ${c}`).join(', ');
          reason.push(`expected ${req.color} ${cls}>=${req.count}, found ${k} ${req.color}; and ${tail}`);
        }
      }
      if (req.position !== undefined && matched) {
        const [rel, targetIndex] = req.position;
        const t = targetIndex < 0 ? matchedGroups.length + targetIndex : targetIndex;
        if (!Number.isInteger(t) || t < 0 || t >= matchedGroups.length) {
          throw new Error(`position target ${targetIndex} of ${cls} refers to no earlier include clause (IndexError in the official code)`);
        }
        const targets = matchedGroups[t];
        if (targets === null) {
          correct = matched = false;
          reason.push(`no target for ${cls} to be ${rel}`);
        } else {
          outer: for (const obj of found) {
            for (const target of targets) {
              const rels = relativePosition(obj.box, target.box, o.positionThreshold);
              if (!rels.includes(rel)) {
                correct = matched = false;
                reason.push(`expected ${cls} ${rel} target, found ${rels.join(' and ')} target`);
                break outer;
              }
            }
          }
        }
      }
    }
    matchedGroups.push(matched ? found : null);
  }
  for (const req of metadata.exclude ?? []) {
    const n = (detected.get(req.class) ?? []).length;
    if (n >= req.count) {
      correct = false;
      reason.push(`expected ${req.class}<${req.count}, found ${n}`);
    }
  }
  return { correct, reason: reason.join('\n') };
}

/** `filterDetections` then `evaluateDetections`: one image's official `correct` / `reason`, plus the
 * filtered detections (what the official row's `details` lists). */
export async function evaluateImageDetections<D extends Detection>(
  metadata: GenevalMetadata,
  perClass: ReadonlyArray<ReadonlyArray<D>>,
  classNames: readonly string[],
  classifyColors: ColorClassifier<D>,
  options: Partial<GenevalOptions> = {},
): Promise<GenevalCheck & { detected: Map<string, D[]> }> {
  const detected = filterDetections(perClass, classNames, metadata.tag, options);
  const r = await evaluateDetections(metadata, detected, classifyColors, options);
  return { ...r, detected };
}
