/**
 * GenEval runs keep every image under its own prompt (byte-identical images in two prompt folders
 * are two prompts' samples), and GenEval shards merge like VBench ones: results.jsonl, summary.txt
 * and scores.json of the merged run are those of the unsharded run. Self-contained: the prompts,
 * class names and images are made here; the detector is the committed tiny fixture (random weights,
 * so only the bookkeeping is checked, not the detections).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { silentProgress } from '../../src/core/progress.ts';
import { parseShard, shardOf } from '../../src/core/shard.ts';
import { createGenevalDimensions } from '../../src/suites/geneval/dimensions.ts';
import { evaluateGeneval } from '../../src/suites/geneval/evaluate.ts';
import { genevalInput } from '../../src/suites/geneval/input.ts';
import { pythonJsonDumps } from '../../src/core/pycompat/json.ts';
import { parseGenevalMetadata } from '../../src/suites/geneval/samples.ts';
import type { ModelHandle, ModelProvider } from '../../src/runtime/model-handle.ts';
import { makeGenevalSamples } from '../../tools/fixtures/geneval-samples.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const DETECTOR = join(ROOT, 'tests/fixtures/models/mask2former-tiny.onnx');
const CLASSES = ['person', 'dog', 'cat', 'bus', ...Array.from({ length: 76 }, (_, i) => `thing ${i}`)];

/** Two single_object prompts that fall on different shards of 2 (the shard key is "folder:prompt"). */
function metadataLines(): string[] {
  const line = (cls: string, word: string) => pythonJsonDumps({ tag: 'single_object', include: [{ class: cls, count: 1 }], prompt: `a photo of ${word}` });
  const first = line('person', 'a person');
  const shard0 = shardOf('00000:a photo of a person', 2);
  for (const [cls, word] of [['dog', 'a dog'], ['cat', 'a cat'], ['bus', 'a bus'], ['dog', 'one dog'], ['cat', 'one cat'], ['bus', 'one bus']] as const) {
    if (shardOf(`00001:a photo of ${word}`, 2) !== shard0) return [first, line(cls, word)];
  }
  throw new Error('no prompt pair splits over 2 shards');
}

const lines = metadataLines();
const prompts = parseGenevalMetadata(lines.join('\n'), 'test metadata');

function detector(): ModelProvider {
  let h: Promise<ModelHandle> | undefined;
  const sha = createHash('sha256').update(readFileSync(DETECTOR)).digest('hex');
  return {
    get(id) {
      if (id !== 'mask2former-swin-s-coco') return Promise.reject(new Error(`no test model ${id}`));
      h ??= ort.InferenceSession.create(DETECTOR, { intraOpNumThreads: 1 }).then((session) => ({ id, sha256: sha, session }));
      return h;
    },
  };
}

let work: string;
let images: string;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gb-geneval-merge-'));
  images = join(work, 'samples');
  await makeGenevalSamples({ dir: images, metadataLines: lines, indices: [0, 1], imagesPerPrompt: 1, size: 64 });
  // The second prompt's images are byte-for-byte the first prompt's (a model that ignores its prompt).
  for (const f of readdirSync(join(images, '00000', 'samples'))) copyFileSync(join(images, '00000', 'samples', f), join(images, '00001', 'samples', f));
});
after(() => rmSync(work, { recursive: true, force: true }));

async function run(out: string, shard?: string) {
  const progress = silentProgress();
  const input = await genevalInput({ imagesDir: images, prompts, classes: CLASSES, allowPartial: true, progress });
  return evaluateGeneval({
    out,
    input,
    promptSet: { name: 'test metadata', sha256: 'x', count: prompts.length },
    dimensions: createGenevalDimensions(['single_object'], { classNames: CLASSES }),
    modelProvider: detector(),
    device: 'cpu',
    allowPartial: true,
    ...(shard ? { shard: parseShard(shard) } : {}),
    progress,
    command: ['test'],
  });
}

const read = (p: string) => readFileSync(p, 'utf8');

test('byte-identical images of two prompts are scored against their own prompt: results.jsonl rows and "Total prompts: 2"', async () => {
  const r = await run(join(work, 'full'));
  assert.equal(r.errorRecords.length, 0);
  const rows = read(join(work, 'full', 'results.jsonl')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(
    rows.map((x) => [x.filename.slice(images.length + 1), x.metadata]),
    [
      ['00000/samples/00000.png', lines[0]],
      ['00001/samples/00000.png', lines[1]],
    ],
  );
  assert.match(r.summaryText, /Total prompts: 2\b/);
  assert.match(r.summaryText, /Total images: 2\b/);
  assert.equal(r.scores.dimensions.single_object!.samples, 2);
});

test('genbench merge of GenEval shards: results.jsonl, summary.txt and scores.json equal the unsharded run', async () => {
  const full = join(work, 'full');
  if (!readdirSync(work).includes('full')) await run(full);
  await run(join(work, 's1'), '1/2');
  await run(join(work, 's2'), '2/2');
  for (const s of ['s1', 's2']) assert.equal(read(join(work, s, 'records', 'single_object.jsonl')).trim().split('\n').length, 1, `${s} owns one prompt`);
  const out = join(work, 'merged');
  const r = runCli(['merge', join(work, 's2'), join(work, 's1'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /not supported/);
  assert.equal(read(join(out, 'results.jsonl')), read(join(full, 'results.jsonl')));
  assert.equal(read(join(out, 'summary.txt')), read(join(full, 'summary.txt')));
  assert.deepEqual(JSON.parse(read(join(out, 'scores.json'))), JSON.parse(read(join(full, 'scores.json'))));
  const prov = JSON.parse(read(join(out, 'run.json')));
  assert.equal(prov.suite, 'geneval');
  assert.equal(prov.shard, null);
  assert.equal(prov.mergedFrom.length, 2);
});
