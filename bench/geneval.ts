/**
 * GenEval end to end on CPU: images per second of `evaluateGeneval` (what `genbench evaluate --suite
 * geneval` runs) and of the OFFICIAL evaluate_images.py main() on the same sample folder, and
 * their ratio, plus the detector's share of each side's time.
 *
 * The folder: a few prompt folders of tests/golden/geneval-end-to-end.json (the test photos of
 * tools/fixtures/test-images.ts in the official layout; default 3 folders × 2 images, covering a
 * colour task so that CLIP runs too). Models, the same size on both sides:
 * - detector: the FULL-SIZE Mask2Former Swin-S network with random weights — ours the ONNX file
 *   of `tools/export/mask2former.py --random-weights --config full` (--detector PATH), the
 *   official side that network in torch (tools/export/mask2former_net.py, seeded the same);
 * - CLIP: the REDUCED ViT-L/14-shaped towers of the tests (clip-l14-tiny.onnx +
 *   clip-l14-text-tiny.onnx; the official side the same weights in open_clip). A full-size
 *   ViT-L/14 pair was not exported for this bench: CLIP sees only 224 px crops of the colour
 *   tasks' objects, and the detector dominates.
 * The official side is tools/parity/geneval_end_to_end_golden.py --bench (Debian's python3,
 * torch 1.13, the official code with mmdet/open_clip stand-ins), which times only main() — not
 * the model building. Ours is timed from the first model load to the written results.
 *
 *   node --import tsx bench/geneval.ts [--detector .scratch/mask2former/full-random.onnx] [--seed 0]
 *        [--folders 00086,00187,00302] [--threads 2] [--no-official]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentProgress } from '../src/core/progress.ts';
import { readRgbImage, writePng } from '../src/media/image-io.ts';
import { rgbImage, type RgbImage } from '../src/media/image.ts';
import { createSession } from '../src/runtime/session.ts';
import { clipColorSupport } from '../src/suites/geneval/clip-color-support.ts';
import { DETECTOR_MODEL_ID } from '../src/metrics/mask2former/model.ts';
import { createGenevalDimensions } from '../src/suites/geneval/dimensions.ts';
import { evaluateGeneval } from '../src/suites/geneval/evaluate.ts';
import { genevalInput } from '../src/suites/geneval/input.ts';
import { parseGenevalMetadata } from '../src/suites/geneval/samples.ts';
import type { ModelHandle, ModelProvider } from '../src/runtime/model-handle.ts';
import { testImagePath } from '../tools/fixtures/test-images.ts';

const ROOT = join(import.meta.dirname, '..');
const UPSTREAM = join(ROOT, '../shared/data/upstream/geneval');
const MODELS = join(ROOT, 'tests/fixtures/models');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const DETECTOR = arg('--detector', join(ROOT, '.scratch/mask2former/full-random.onnx'));
const SEED = arg('--seed', '0');
const FOLDERS = arg('--folders', '00086,00187,00302').split(',');
const THREADS = Number(arg('--threads', '2'));
const OFFICIAL = !process.argv.includes('--no-official');

const golden = JSON.parse(readFileSync(join(ROOT, 'tests/golden/geneval-end-to-end.json'), 'utf8')) as { prompts: Record<string, string[]>; options: string[] };
const metadataLines = readFileSync(join(UPSTREAM, 'prompts/evaluation_metadata.jsonl'), 'utf8').split('\n').filter(Boolean);
const classNames = readFileSync(join(UPSTREAM, 'evaluation/object_names.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

async function picture(spec: string): Promise<RgbImage> {
  const [kind, name] = spec.split(':') as [string, string];
  if (kind !== 'photo' && kind !== 'flip') throw new Error(`bench folders use photos only, not ${spec}`);
  const img = await readRgbImage(await testImagePath(name));
  if (kind === 'photo') return img;
  const out = rgbImage(img.width, img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) out.data.set(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3), (y * img.width + img.width - 1 - x) * 3);
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'gb-bench-geneval-'));
const images = join(work, 'samples');
let n = 0;
for (const folder of FOLDERS) {
  const specs = golden.prompts[folder];
  if (!specs) throw new Error(`folder ${folder} is not in the golden (${Object.keys(golden.prompts).join(', ')})`);
  mkdirSync(join(images, folder, 'samples'), { recursive: true });
  writeFileSync(join(images, folder, 'metadata.jsonl'), `${metadataLines[Number(folder)]}\n`);
  for (const [j, spec] of specs.entries()) {
    await writePng(join(images, folder, 'samples', `${String(j).padStart(5, '0')}.png`), await picture(spec));
    n++;
  }
}

// ---- ours
let detectorMs = 0;
const files: Record<string, { path: string; files?: Record<string, string> }> = {
  [DETECTOR_MODEL_ID]: { path: DETECTOR },
  'clip-vit-l14-image': { path: join(MODELS, 'clip-l14-tiny.onnx') },
  'clip-vit-l14-text': { path: join(MODELS, 'clip-l14-text-tiny.onnx'), files: { 'tokenizer.json': join(ROOT, 'tests/fixtures/clip-tokenizer-reduced.json') } },
};
const handles = new Map<string, Promise<ModelHandle>>();
const models: ModelProvider = {
  get(id) {
    let h = handles.get(id);
    if (!h) {
      const f = files[id]!;
      h = createSession(f.path, { threads: THREADS }).then((session) => {
        if (id === DETECTOR_MODEL_ID) {
          // the detector's share: time spent in its network
          const run = session.run.bind(session);
          session.run = (async (...a: Parameters<typeof run>) => {
            const t = performance.now();
            try {
              return await run(...a);
            } finally {
              detectorMs += performance.now() - t;
            }
          }) as typeof session.run;
        }
        return { id, sha256: '', session, files: f.files };
      });
      handles.set(id, h);
    }
    return h;
  },
};
const prompts = parseGenevalMetadata(metadataLines.join('\n'), 'evaluation_metadata.jsonl');
const options = Object.fromEntries(golden.options.map((o) => o.split('='))) as Record<string, string>;
const t0 = performance.now();
const progress = silentProgress();
const input = await genevalInput({ imagesDir: images, prompts, classes: classNames, allowPartial: true, progress });
await evaluateGeneval({
  out: join(work, 'run'),
  input,
  promptSet: { name: 'geneval', sha256: 'x', count: prompts.length },
  dimensions: createGenevalDimensions(undefined, {
    classNames,
    options: { countingThreshold: Number(options['counting_threshold'] ?? 0.9) },
    color: clipColorSupport({ logits: 'fp32' }),
  }),
  modelProvider: models,
  device: 'cpu',
  concurrency: 1,
  allowPartial: true,
  progress,
  command: ['bench'],
});
const oursS = (performance.now() - t0) / 1000;

// ---- official
let official: { images: number; seconds: number; detector_seconds: number; network_seconds: number } | undefined;
if (OFFICIAL) {
  const r = spawnSync('/usr/bin/python3', [join(ROOT, 'tools/parity/geneval_end_to_end_golden.py'), '--bench', images, '--config', 'full', '--seed', SEED,
    '--threads', String(THREADS), '--options', ...golden.options], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`official side failed:\n${r.stderr}`);
  official = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}
rmSync(work, { recursive: true, force: true });

const row = (name: string, s: number, det: number) =>
  `| ${name.padEnd(30)} | ${String(n).padStart(6)} | ${s.toFixed(1).padStart(8)} | ${(n / s).toFixed(3).padStart(9)} | ${((100 * det) / s).toFixed(0).padStart(21)}% |`;
console.log(`GenEval end to end, CPU, ${THREADS} thread(s): full-size random Mask2Former (${DETECTOR}), reduced CLIP towers`);
console.log('| side                           | images |  seconds | images/s | detector network share |');
console.log('|--------------------------------|--------|----------|----------|------------------------|');
console.log(row('genbench (ONNX Runtime)', oursS, detectorMs / 1000));
if (official) {
  console.log(row('official evaluate_images.py', official.seconds, official.network_seconds));
  console.log(`speed ratio (ours / official, images/s): ${(official.seconds / oursS).toFixed(2)}x`);
}
