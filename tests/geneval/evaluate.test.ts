/**
 * `evaluateGeneval` end to end on a small sample folder in the official layout, with the committed tiny
 * models (Mask2Former, CLIP ViT-L/14-shaped towers, the reduced CLIP tokenizer): the run's files, their
 * formats, resume, and bad input. The numbers themselves are checked against the official code elsewhere
 * (task checks, colour classification, detector post-processing, and tests/geneval/end-to-end.test.ts).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { isGenbenchError } from '../../src/core/errors.ts';
import { silentProgress } from '../../src/core/progress.ts';
import { createGenevalDimensions } from '../../src/suites/geneval/dimensions.ts';
import { evaluateGeneval } from '../../src/suites/geneval/evaluate.ts';
import { genevalInput } from '../../src/suites/geneval/input.ts';
import { pythonPathJoin } from '../../src/core/pycompat/path.ts';
import { pythonJsonDumps } from '../../src/core/pycompat/json.ts';
import { parseGenevalMetadata } from '../../src/suites/geneval/samples.ts';
import { summarizeGeneval } from '../../src/suites/geneval/summary.ts';
import type { ModelHandle, ModelProvider } from '../../src/runtime/model-handle.ts';
import { firstPromptsPerTask, makeGenevalSamples } from '../../tools/fixtures/geneval-samples.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';
import { readUpstreamFile, upstreamPrompts } from '../helpers/upstream-files.ts';
import { GENEVAL_METADATA, genevalClassNames } from '../helpers/upstream-text.ts';

const ROOT = join(import.meta.dirname, '../..');
const MODELS = join(ROOT, 'tests/fixtures/models');
// The pinned prompt set (GENBENCH_TEST_PROMPTS_DIR or the prompt cache); without it the tests skip, saying why.
const upstream = upstreamPrompts(GENEVAL_METADATA);
const metadataLines = upstream.dir ? readUpstreamFile(GENEVAL_METADATA).split('\n').filter(Boolean) : [];
const prompts = parseGenevalMetadata(metadataLines.join('\n'), 'evaluation_metadata.jsonl');
const classNames = genevalClassNames();
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Models as local files, loaded once (the registry path is tested in tests/runtime). */
function fileModels(): ModelProvider & { loads: Map<string, number> } {
  const files: Record<string, { path: string; files?: Record<string, string> }> = {
    'mask2former-swin-s-coco': { path: join(MODELS, 'mask2former-tiny.onnx') },
    'clip-vit-l14-image': { path: join(MODELS, 'clip-l14-tiny.onnx') },
    'clip-vit-l14-text': { path: join(MODELS, 'clip-l14-text-tiny.onnx'), files: { 'tokenizer.json': join(ROOT, 'tests/fixtures/clip-tokenizer-reduced.json') } },
  };
  const handles = new Map<string, Promise<ModelHandle>>();
  const loads = new Map<string, number>();
  return {
    loads,
    get(id) {
      const f = files[id];
      if (!f) return Promise.reject(new Error(`no test model ${id}`));
      let h = handles.get(id);
      if (!h) {
        loads.set(id, (loads.get(id) ?? 0) + 1);
        h = ort.InferenceSession.create(f.path, { intraOpNumThreads: 1 }).then((session) => ({ id, sha256: sha(f.path), session, files: f.files }));
        handles.set(id, h);
      }
      return h;
    },
  };
}

let work: string;
let images: string;
const indices = firstPromptsPerTask(metadataLines, 1);

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gb-geneval-eval-'));
  if (!upstream.dir) return;
  images = join(work, 'samples');
  // Two images per prompt (of the official four): a partial set, scored with allowPartial.
  await makeGenevalSamples({ dir: images, metadataLines, indices, imagesPerPrompt: 2, size: 96 });
});
after(() => rmSync(work, { recursive: true, force: true }));

async function run(out: string, opts: { dimensions?: string[]; imagesDir?: string } = {}) {
  const progress = silentProgress();
  const input = await genevalInput({ imagesDir: opts.imagesDir ?? images, prompts, classes: classNames, allowPartial: true, progress });
  return evaluateGeneval({
    out,
    input,
    promptSet: { name: 'geneval/prompts/evaluation_metadata.jsonl', sha256: 'x', count: prompts.length },
    dimensions: createGenevalDimensions(opts.dimensions, { classNames, color: undefined }),
    modelProvider: fileModels(),
    device: 'cpu',
    concurrency: 2,
    allowPartial: true,
    progress,
    command: ['test'],
  });
}

test('a partial folder is refused without allowPartial, naming the coverage', { skip: upstream.skip }, async () => {
  await assert.rejects(
    genevalInput({ imagesDir: images, prompts, classes: classNames, progress: silentProgress() }),
    (e) => isGenbenchError(e, 'E_INPUT') && /2200 of 2212 images missing: 547 prompt folder\(s\) absent/.test(e.message) && /--allow-partial/.test(e.hint ?? ''),
  );
});

test('every image is scored by its task; results.jsonl is the official format; summary.txt is what summary_scores.py prints', { skip: upstream.skip }, async () => {
  const out = join(work, 'run');
  const r = await run(out);
  assert.equal(r.errorRecords.length, 0);
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'trailing newline');
  assert.equal(lines.length, indices.length * 2);
  const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  rows.forEach((row, k) => {
    const index = indices[Math.floor(k / 2)]!;
    const folder = String(index).padStart(5, '0');
    assert.deepEqual(Object.keys(row), ['filename', 'tag', 'prompt', 'correct', 'reason', 'metadata', 'details']);
    // os.path.join(IMAGEDIR, sub, "samples", name), folder order then image order.
    assert.equal(row['filename'], `${images}/${folder}/samples/0000${k % 2}.png`);
    // The upstream file was written by Python's json.dumps: our metadata column reproduces its lines.
    assert.equal(row['metadata'], metadataLines[index]);
    assert.equal(row['tag'], prompts[index]!.tag);
    assert.equal(typeof row['correct'], 'boolean');
    assert.equal(row['reason'] === '', row['correct']);
    const details = JSON.parse(String(row['details'])) as Record<string, number[][]>;
    for (const [name, boxes] of Object.entries(details)) {
      assert.ok(classNames.includes(name));
      for (const b of boxes) assert.ok(b.length === 5 && b[4]! > (row['tag'] === 'counting' ? 0.9 : 0.3), `${name} rows pass the threshold`);
    }
  });
  assert.ok(lines[0]!.includes('\\/samples\\/'), "pandas' ujson escapes '/' as '\\/'");
  const summary = summarizeGeneval(rows.map((x) => ({ tag: String(x['tag']), correct: x['correct'] === true, metadata: String(x['metadata']) })));
  assert.equal(readFileSync(join(out, 'summary.txt'), 'utf8'), summary.text);
  // scores.json: the six tasks (2 images each here) and the overall mean over them.
  const scores = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
  assert.deepEqual(Object.keys(scores.dimensions), ['single_object', 'two_object', 'counting', 'colors', 'position', 'color_attr']);
  for (const t of summary.tasks) {
    assert.equal(scores.dimensions[t.tag].score, t.score);
    assert.equal(scores.dimensions[t.tag].samples, t.total);
  }
  assert.equal(scores.dimensions.single_object.expected, 320);
  assert.equal(scores.headline.overall.value, summary.overall);
  // 2 images per task of the benchmark's 2,212: the overall is computed but marked partial, with its coverage.
  assert.equal(scores.headline.overall.partial, true);
  assert.deepEqual(scores.headline.overall.coverage, { samples: indices.length * 2, expected: 2212 });
  // Provenance: the official options with their defaults, the models' hashes.
  const prov = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.deepEqual(prov.dimensions.counting.options, { threshold: 0.3, counting_threshold: 0.9, max_objects: 16, max_overlap: 1, position_threshold: 0.1 });
  assert.deepEqual(Object.keys(prov.models).sort(), ['clip-vit-l14-image', 'clip-vit-l14-text', 'mask2former-swin-s-coco']);
  assert.deepEqual(prov.dimensions.counting.models, ['mask2former-swin-s-coco']);
  assert.equal(prov.dimensions.colors.color.logits, 'fp16');

  // Again: nothing is re-scored (the records files do not grow), and the outputs are the same bytes.
  const before = Object.fromEntries(summary.tasks.map((t) => [t.tag, readFileSync(join(out, 'records', `${t.tag}.jsonl`), 'utf8')]));
  const resultsBefore = readFileSync(join(out, 'results.jsonl'), 'utf8');
  await run(out);
  for (const t of summary.tasks) assert.equal(readFileSync(join(out, 'records', `${t.tag}.jsonl`), 'utf8'), before[t.tag]);
  assert.equal(readFileSync(join(out, 'results.jsonl'), 'utf8'), resultsBefore);
});

test('a truncated PNG becomes an error record (not a results row); a renamed JPEG is read as the official code reads it; other names are ignored', { skip: upstream.skip }, async () => {
  const dir = join(work, 'bad');
  const [single, counting] = [indices[0]!, indices[2]!];
  await makeGenevalSamples({ dir, metadataLines, indices: [single, counting], imagesPerPrompt: 2, size: 96 });
  const f = (i: number, n: string) => join(dir, String(i).padStart(5, '0'), 'samples', n);
  truncateSync(f(single, '00001.png'), 200);
  copyFileSync(await testImagePath('fur-texture-512x512.jpg'), f(counting, '00001.png'));
  writeFileSync(f(counting, 'notes.txt'), 'not a sample');
  const out = join(work, 'bad-run');
  const r = await run(out, { imagesDir: dir, dimensions: ['single_object', 'counting'] });
  assert.deepEqual(r.errorRecords.map((e) => [e.sample, e.error?.code]), [[`${String(single).padStart(5, '0')}/samples/00001.png`, 'E_DECODE']]);
  const rows = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 3);
  assert.ok(rows.some((x) => x.filename.endsWith('00001.png') && x.tag === 'counting'), 'the JPEG bytes under a .png name are scored');
  const scores = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
  assert.equal(scores.dimensions.single_object.errors, 1);
  assert.equal(scores.errors, 1);
  // Four tasks missing: with allowPartial the overall is the mean over the two present, marked partial.
  assert.equal(scores.headline.overall.value, (scores.dimensions.single_object.score + scores.dimensions.counting.score) / 2);
  assert.equal(scores.headline.overall.partial, true);
  assert.deepEqual(scores.headline.overall.missing, ['two_object', 'colors', 'position', 'color_attr']);
});

test('os.path.join as the official evaluator builds file names', () => {
  assert.equal(pythonPathJoin('out', '00001', 'samples', '00000.png'), 'out/00001/samples/00000.png');
  assert.equal(pythonPathJoin('out/', '00001'), 'out/00001');
  assert.equal(pythonPathJoin('./a//b', 'c'), './a//b/c');
  assert.equal(pythonPathJoin('a', '/abs', 'c'), '/abs/c');
});

test('metadata is written back as json.dumps wrote it (key order, separators)', { skip: upstream.skip }, () => {
  for (const line of metadataLines) assert.equal(pythonJsonDumps(JSON.parse(line)), line);
});
