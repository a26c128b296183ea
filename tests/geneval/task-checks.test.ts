import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  computeIou,
  evaluateDetections,
  evaluateImageDetections,
  filterDetections,
  genevalOptionsFrom,
  relativePosition,
  GENEVAL_DEFAULT_OPTIONS,
  type Detection,
  type GenevalMetadata,
} from '../../src/suites/geneval/task-checks.ts';
import { upstreamPrompts } from '../helpers/upstream-files.ts';
import { expandUpstreamText, GENEVAL_METADATA, genevalClassNames, genevalPrompts } from '../helpers/upstream-text.ts';
import { pyFixed, pyPercent, summarizeGeneval, numpyMean } from '../../src/suites/geneval/summary.ts';

interface GoldenDet {
  class: string;
  box: [number, number, number, number];
  score: number;
  color?: string;
}
interface GoldenImage {
  case: string;
  name: string;
  size: [number, number];
  detections: GoldenDet[];
  expected: { correct: boolean; reason: string; details: Record<string, number[][]> };
  colorCalls: { templateClass: string; boxes: number[][] }[];
}
interface GoldenRun {
  name: string;
  options: Record<string, string>;
  prompts: { folder: string; metadata: GenevalMetadata; images: GoldenImage[] }[];
  summaryRows: { folder: string; image: string; tag: string; correct: boolean; metadata: string }[];
  summaryStdout: string;
}
interface GoldenTable {
  name: string;
  metadata: string[];
  rows: string[];
  stdout: string;
}
// Benchmark prompts stand in the golden as {{geneval-prompt:i}}; the class names come from upstream too.
const raw = JSON.parse(readFileSync(new URL('../golden/geneval-tasks.json', import.meta.url), 'utf8')) as {
  classNames: { count: number; sha256: string };
  runs: GoldenRun[];
  summaryTables: GoldenTable[];
};
// Without the pinned prompt set (GENBENCH_TEST_PROMPTS_DIR or the prompt cache) the golden comparisons skip, saying why.
const upstream = upstreamPrompts(GENEVAL_METADATA);
const golden = { ...(upstream.dir ? expandUpstreamText(raw, { 'geneval-prompt': genevalPrompts() }) : raw), classNames: genevalClassNames() };
assert.equal(golden.classNames.length, raw.classNames.count);

type Det = Detection & { color?: string; cls: string };

function perClassOf(img: GoldenImage): Det[][] {
  const perClass: Det[][] = golden.classNames.map(() => []);
  for (const d of img.detections) {
    const c = golden.classNames.indexOf(d.class);
    assert.ok(c >= 0, d.class);
    perClass[c].push({ box: d.box, score: d.score, color: d.color, cls: d.class });
  }
  return perClass;
}

/** The official reason, or (for a "found X and Y target" reason from a Python set) the same reason with
 * the relations in our order: set iteration order depends on PYTHONHASHSEED. */
function sameReason(ours: string, official: string): boolean {
  if (ours === official) return true;
  const norm = (s: string) =>
    s.split('\n').map((line) => line.replace(/found (.+) target$/, (_, rels: string) => `found ${rels.split(' and ').sort().join(' and ')} target`)).join('\n');
  return norm(ours) === norm(official);
}

test('per-image correct/reason/details equal the official evaluate_images.py on every crafted case', { skip: upstream.skip }, async () => {
  let n = 0;
  const cases = new Set<string>();
  for (const run of golden.runs) {
    const options = genevalOptionsFrom(run.options);
    for (const p of run.prompts) {
      for (const img of p.images) {
        const calls: { cls: string; boxes: number[][] }[] = [];
        const classify = (cls: string, objs: readonly Det[]) => {
          calls.push({ cls, boxes: objs.map((o) => [...o.box, o.score]) });
          return objs.map((o) => {
            assert.ok(o.color, `${img.case}: colour asked for an object without one`);
            return o.color!;
          });
        };
        const r = await evaluateImageDetections(p.metadata, perClassOf(img), golden.classNames, classify, options);
        const what = `${run.name} / ${img.case}`;
        assert.equal(r.correct, img.expected.correct, `${what}: correct`);
        assert.ok(sameReason(r.reason, img.expected.reason), `${what}: reason ${JSON.stringify(r.reason)} vs ${JSON.stringify(img.expected.reason)}`);
        // details: the filtered detections per class, score-descending (float32 values widened)
        const details: Record<string, number[][]> = {};
        for (const [cls, objs] of r.detected) details[cls] = objs.map((o) => [...o.box.map(Math.fround), Math.fround(o.score)]);
        assert.deepEqual(details, img.expected.details, `${what}: details`);
        assert.deepEqual(Object.keys(details), Object.keys(img.expected.details), `${what}: details order`);
        // the colour classifier is asked for the same objects, in the same order
        assert.deepEqual(
          calls.map((c) => ({ templateClass: c.cls, boxes: c.boxes.map((b) => b.map(Math.fround)) })),
          img.colorCalls,
          `${what}: colour calls`,
        );
        cases.add(img.case);
        n++;
      }
    }
  }
  assert.ok(n >= 78, `only ${n} cases`);
  assert.equal(cases.size, n, 'case names are unique');
});

test('summary equals the official summary_scores.py on each run and each crafted results table', { skip: upstream.skip }, () => {
  for (const run of golden.runs) {
    const s = summarizeGeneval(run.summaryRows);
    assert.equal(s.text, run.summaryStdout, run.name);
  }
  for (const t of golden.summaryTables) {
    const rows = t.rows.map((line) => {
      const [tag, c, m] = line.split('\t');
      return { tag, correct: c === '1', metadata: t.metadata[Number(m)] };
    });
    const s = summarizeGeneval(rows);
    assert.equal(s.text, t.stdout, t.name);
    assert.equal(s.overall, numpyMean(s.tasks.map((x) => x.correct / x.total)));
  }
});

// ------------------------------------------------------------------ hand-checked cases

const box = (x1: number, y1: number, x2: number, y2: number): [number, number, number, number] => [x1, y1, x2, y2];

test('relativePosition: hand-computed relations', () => {
  const b = box(10, 10, 20, 20);
  assert.deepEqual(relativePosition(box(-10, 10, 0, 20), b), ['left of']); // offset -20, 0.1*20 = 2: 18/20 = 0.9
  assert.deepEqual(relativePosition(box(30, 10, 40, 20), b), ['right of']);
  assert.deepEqual(relativePosition(box(10, -10, 20, 0), b), ['above']);
  assert.deepEqual(relativePosition(box(10, 30, 20, 40), b), ['below']);
  assert.deepEqual(relativePosition(box(-10, -10, 0, 0), b), ['left of', 'above']); // (18/28.28 = 0.64 each)
  assert.deepEqual(relativePosition(box(6, 10, 16, 20), b), []); // offset 4, 4 - 2 = 2, 2/4 = 0.5: not < -0.5
  assert.deepEqual(relativePosition(box(11, 11, 21, 21), b), []); // within 0.1 * dims: no relation
  // A diagonal that is only "left of": dx = (20-2)/|(-20,-5)| = 0.87, dy = (5-2)/20.6 = 0.15
  assert.deepEqual(relativePosition(box(-10, 5, 0, 15), b), ['left of', 'above'].slice(0, 1));
  // position_threshold 0.25: 0.25 * 20 = 5, offset 6 -> 1/6: nothing
  assert.deepEqual(relativePosition(box(4, 10, 14, 20), b, 0.25), []);
});

test('computeIou: inclusive pixel areas', () => {
  assert.equal(computeIou(box(0, 0, 9, 9), box(0, 0, 9, 4)), 0.5); // 50 / 100
  assert.equal(computeIou(box(0, 0, 9, 9), box(5, 0, 14, 9)), 50 / 150);
  assert.equal(computeIou(box(0, 0, 9, 9), box(20, 20, 29, 29)), 0);
  assert.equal(computeIou(box(0, 0, -5, -5), box(0, 0, -5, -5)), 0); // empty union
});

test('filterDetections: float32 threshold, order, cap, NMS only below 1', () => {
  const names = ['dog', 'clock'];
  const d = (score: number, x = 0): Detection => ({ box: box(x, 0, x + 9, 9), score });
  // score float32(0.3) is not above 0.3 (the comparison is in float32), the next float32 is
  const f03 = Math.fround(0.3);
  const above = new Float32Array([f03]);
  new Uint32Array(above.buffer)[0] += 1;
  const got = filterDetections([[d(f03), d(above[0], 10), d(0.2, 20)], []], names, 'single_object');
  assert.deepEqual([...got.keys()], ['dog']);
  assert.deepEqual(got.get('dog')!.map((o) => o.box[0]), [10]);
  // counting uses 0.9; 20 detections above it are capped at 16, highest first; ties: higher index first
  const many = Array.from({ length: 20 }, (_, i) => d(0.95, i * 10));
  const c = filterDetections([[], many], names, 'counting');
  assert.equal(c.get('clock')!.length, 16);
  assert.deepEqual(c.get('clock')!.slice(0, 3).map((o) => o.box[0]), [190, 180, 170]);
  // NMS: off at the default 1.0 (duplicates survive), on below 1 (IoU >= max_overlap dropped)
  const dup = [d(0.99), d(0.98), d(0.97, 30)];
  assert.equal(filterDetections([dup, []], names, 'x').get('dog')!.length, 3);
  assert.equal(filterDetections([dup, []], names, 'x', { maxOverlap: 0.5 }).get('dog')!.length, 2);
  assert.deepEqual(GENEVAL_DEFAULT_OPTIONS, { threshold: 0.3, countingThreshold: 0.9, maxObjects: 16, maxOverlap: 1, positionThreshold: 0.1 });
  assert.deepEqual(genevalOptionsFrom({ max_objects: '3', max_overlap: '0.5', other: 'x' }), {
    ...GENEVAL_DEFAULT_OPTIONS,
    maxObjects: 3,
    maxOverlap: 0.5,
  });
  assert.throws(() => genevalOptionsFrom({ max_objects: '3.5' }));
});

test('evaluateDetections: hand-written reasons for each task shape', async () => {
  const obj = (x1: number, y1: number, x2: number, y2: number, score = 0.9): Detection => ({ box: box(x1, y1, x2, y2), score });
  const noColour = () => {
    throw new Error('no colour check expected');
  };
  const counting: GenevalMetadata = { tag: 'counting', include: [{ class: 'clock', count: 2 }], exclude: [{ class: 'clock', count: 3 }] };
  assert.deepEqual(await evaluateDetections(counting, new Map([['clock', [obj(0, 0, 1, 1), obj(2, 2, 3, 3), obj(4, 4, 5, 5)]]]), noColour), {
    correct: false,
    reason: 'expected clock<3, found 3',
  });
  assert.deepEqual(await evaluateDetections(counting, new Map(), noColour), { correct: false, reason: 'expected clock>=2, found 0' });
  const colour: GenevalMetadata = { tag: 'color_attr', include: [{ class: 'apple', count: 1, color: 'red' }, { class: 'cup', count: 1, color: 'green' }] };
  const detected = new Map([['apple', [obj(0, 0, 5, 5)]], ['cup', [obj(10, 0, 15, 5)]]]);
  const r = await evaluateDetections(colour, detected, async (cls) => (cls === 'apple' ? ['red'] : ['white']));
  assert.deepEqual(r, { correct: false, reason: 'expected green cup>=1, found 0 green; and 1 white' });
  const position: GenevalMetadata = {
    tag: 'position',
    include: [{ class: 'teddy bear', count: 1 }, { class: 'dog', count: 1, position: ['above', 0] }],
  };
  assert.deepEqual(await evaluateDetections(position, new Map([['dog', [obj(0, 0, 5, 5)]]]), noColour), {
    correct: false,
    reason: 'expected teddy bear>=1, found 0\nno target for dog to be above',
  });
  assert.deepEqual(
    await evaluateDetections(position, new Map([['teddy bear', [obj(0, 0, 10, 10)]], ['dog', [obj(0, 20, 10, 30)]]]), noColour),
    { correct: false, reason: 'expected dog above target, found below target' },
  );
  assert.deepEqual(
    await evaluateDetections(position, new Map([['teddy bear', [obj(0, 0, 10, 10)]], ['dog', [obj(1, 1, 11, 11)]]]), noColour),
    { correct: false, reason: 'expected dog above target, found  target' },
  );
});

test('Python float formatting: .2% rounds exact ties half-to-even (unlike toFixed)', () => {
  assert.equal(pyPercent(314 / 320, 2), '98.12%');
  assert.equal((314 / 320 * 100).toFixed(2), '98.13');
  assert.equal(pyPercent(2 / 320, 2), '0.62%');
  assert.equal(pyPercent(1, 2), '100.00%');
  assert.equal(pyPercent(0, 2), '0.00%');
  assert.equal(pyFixed(0.125, 2), '0.12');
  assert.equal(pyFixed(0.375, 2), '0.38');
  assert.equal(pyFixed(0.42666666666666664, 5), '0.42667');
  assert.equal(pyFixed(2.5, 0), '2');
  assert.equal(pyFixed(-0.0, 2), '-0.00');
  assert.equal(pyFixed(1e-300, 3), '0.000');
});
