/**
 * The CLIP towers as typed calls (contracts in spec.ts):
 *  - `embedFrameBatches`: every frame of a stream through clip_transform (processor.ts, on the
 *    transform workers) and the image tower, `batch` frames per run, one [n, D] block per run in
 *    frame order; while the model runs (in parallel workers where that helps, see
 *    runtime/session-workers.ts), the frames keep decoding ahead;
 *  - `encodeImages`: preprocessed 224×224 crops → image embeddings;
 *  - `encodeText`: token ids (clip-tokenizer.ts) → text embeddings.
 * Embeddings are returned as the towers give them (not normalised).
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import { SharedBufferLease, sharedBuffers } from '../../core/shared-buffers.ts';
import type { RgbImage } from '../../media/image.ts';
import { modelRunner, OrderedRuns } from '../../runtime/session-workers.ts';
import { transformFrames, transformsAhead } from '../common/frame-transform-pool.ts';
import type { SessionModel } from '../common/tensor-io.ts';
import { loadClipTokenizer, type ClipTokenizer } from './clip-tokenizer.ts';
import { CLIP_IMAGE_SIZE, CLIP_TRANSFORM } from './processor.ts';
import { CLIP_VIT_B32_IMAGE, CLIP_VIT_L14_TEXT } from './spec.ts';

/** Tensor names of the image towers (both tables share them) and of the text tower. */
const IMAGE_IN = CLIP_VIT_B32_IMAGE.inputs[0].name;
const IMAGE_OUT = CLIP_VIT_B32_IMAGE.outputs[0].name;
const TEXT_IN = CLIP_VIT_L14_TEXT.inputs[0].name;
const TEXT_OUT = CLIP_VIT_L14_TEXT.outputs[0].name;

/** Row-major [count, dim] embeddings. */
export interface EmbeddingBatch {
  count: number;
  dim: number;
  data: Float32Array;
}

/** How the frame source must hold its frames: each one unchanged until `retain` more were taken, in buffers from `allocate`. */
export interface FrameMemory {
  retain: number;
  allocate: (byteLength: number) => ArrayBufferLike;
}

/**
 * Image embeddings of every frame `frames(memory)` yields, in order, `batch` frames per run. The
 * source must keep each frame in a buffer from `memory.allocate` (shared memory the transform
 * workers read in place) and unchanged until `memory.retain` later frames were taken.
 */
export async function* embedFrameBatches(
  model: { session: ort.InferenceSession },
  frames: (memory: FrameMemory) => AsyncIterable<RgbImage>,
  batch: number,
): AsyncGenerator<EmbeddingBatch, void, undefined> {
  const size = CLIP_IMAGE_SIZE;
  const plane = 3 * size * size;
  const runner = modelRunner(model.session);
  const runs = new OrderedRuns<EmbeddingBatch>(runner.ahead);
  const ahead = transformsAhead();
  // Frames and their transforms live in shared memory: the transform workers read the decoded
  // frame in place and write the result straight into its slot of a batch buffer. Batch k uses
  // buffer k mod `buffers`: while a batch waits for its run to take (or copy) its pixels, the
  // transforms in flight may already fill the next ones.
  const lease = new SharedBufferLease(sharedBuffers);
  const buffers = Array.from({ length: 2 + Math.ceil(ahead / batch) }, () => new Float32Array(lease.acquire(batch * plane * 4)));
  const slot = (i: number) => buffers[Math.floor(i / batch) % buffers.length]!.subarray((i % batch) * plane, (i % batch + 1) * plane);
  let n = 0;
  let k = 0;
  const start = (): Promise<EmbeddingBatch> => {
    const count = n;
    const pixels = buffers[k++ % buffers.length]!;
    n = 0;
    // A worker runner copies the feeds before `run` returns; the session itself reads them while
    // the run is awaited below (OrderedRuns with 0 ahead), before the buffer comes round again.
    return runner.run({ [IMAGE_IN]: new ort.Tensor('float32', pixels.subarray(0, count * plane), [count, 3, size, size]) }).then((out) => {
      const e = out[IMAGE_OUT];
      if (!e) throw new GenbenchError('E_SIGNATURE', `the CLIP image tower returned no \`${IMAGE_OUT}\` output`, 'use a model with the clip-vit-b32-image / clip-vit-l14-image contract');
      return { count, dim: e.dims[1]!, data: e.data as Float32Array };
    });
  };
  // A decoded frame must stay untouched while its transform runs: `ahead` in flight, plus one.
  const source = frames({ retain: ahead + 1, allocate: lease.acquire });
  for await (const _ of transformFrames(source, CLIP_TRANSFORM, ahead, slot)) {
    if (++n === batch) yield* await runs.push(start());
  }
  if (n > 0) yield* await runs.push(start());
  yield* await runs.drain();
  // Every transform and run has finished with the buffers (on an error they are simply dropped).
  lease.release();
}

/** Refuses a tower that does not take/give the contract's tensors (E_SIGNATURE). */
export function checkClipTower(model: SessionModel, tower: 'text' | 'image'): void {
  const s = model.session;
  const [input, output] = tower === 'text' ? [TEXT_IN, TEXT_OUT] : [IMAGE_IN, IMAGE_OUT];
  if (!s.inputNames?.includes(input) || !s.outputNames?.includes(output)) {
    throw new GenbenchError(
      'E_SIGNATURE',
      `the CLIP ${tower} tower takes ${JSON.stringify(s.inputNames)} and gives ${JSON.stringify(s.outputNames)}, expected ${input} → ${output}`,
      `use models with the clip-vit-l14-${tower} contract`,
    );
  }
}

function embeddingsOf(result: Record<string, ort.Tensor>, name: string, rows: number): EmbeddingBatch {
  const t = result[name];
  if (!t || t.type !== 'float32' || t.dims.length !== 2 || t.dims[0] !== rows) {
    throw new GenbenchError('E_SIGNATURE', `the CLIP model returned ${t ? `${t.type} ${JSON.stringify(t.dims)}` : 'nothing'} for ${name}, expected float32 [${rows}, D]`, 'use a model with the clip-vit-l14-text / clip-vit-l14-image contract');
  }
  return { count: rows, dim: t.dims[1]!, data: t.data as Float32Array };
}

/** Image embeddings of `count` preprocessed crops (`pixels`: count × 3 × 224 × 224, clipPilTransform / clipTransform). */
export async function encodeImages(model: SessionModel, pixels: Float32Array, count: number): Promise<EmbeddingBatch> {
  const size = CLIP_IMAGE_SIZE;
  const res = await model.session.run({ [IMAGE_IN]: new ort.Tensor('float32', pixels, [count, 3, size, size]) });
  return embeddingsOf(res, IMAGE_OUT, count);
}

/** Text embeddings of `count` token rows (`ids`: count × contextLength, ClipTokenizer.tokenizeBatch). */
export async function encodeText(model: SessionModel, ids: BigInt64Array, count: number, contextLength: number): Promise<EmbeddingBatch> {
  const res = await model.session.run({ [TEXT_IN]: new ort.Tensor('int64', ids, [count, contextLength]) });
  return embeddingsOf(res, TEXT_OUT, count);
}

/** The text tower's tokenizer: its companion file (CLIP_VIT_L14_TEXT.companions), loaded. */
export function clipTokenizerOf(model: { id: string; files?: Readonly<Record<string, string>> }): ClipTokenizer {
  const file = CLIP_VIT_L14_TEXT.preprocess.tokenizer.file;
  const path = model.files?.[file];
  if (!path) {
    throw new GenbenchError('E_NOT_FOUND', `model ${model.id} has no ${file}`, `import it with \`genbench models import ${CLIP_VIT_L14_TEXT.id} FILE.onnx --with ${file}=PATH\``);
  }
  return loadClipTokenizer(path, CLIP_VIT_L14_TEXT.preprocess.tokenizer.contextLength);
}
