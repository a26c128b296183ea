/**
 * The ViT-B/32 text tower with its logit scale (contract `clip-vit-b32-text`, spec.ts) as typed calls:
 *  - `strictClipTokens`: openai/CLIP `clip.tokenize([text])` with `truncate=False` — a text longer
 *    than the context is refused (TextTooLongError) where the official call raises. The BPE is
 *    clip-tokenizer.ts (open_clip's SimpleTokenizer: the same cleaning, pattern and vocabulary as
 *    openai/CLIP's; they differ only in how a literal special-token name in the text is spelled);
 *  - `encodeTextScaled`: token rows → unnormalised text embeddings and exp(logit_scale);
 *  - `clipTextFeature`: one text → its normalised feature and the scale, ready for
 *    similarity.ts `imageTextLogitF32`.
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import type { SessionModel } from '../common/tensor-io.ts';
import { CLIP_EOT, CLIP_SOT, loadClipTokenizer, type ClipTokenizer } from './clip-tokenizer.ts';
import type { EmbeddingBatch } from './model.ts';
import { unitRowF32 } from './similarity.ts';
import { CLIP_VIT_B32_TEXT } from './spec.ts';

const TEXT_IN = CLIP_VIT_B32_TEXT.inputs[0].name;
const TEXT_OUT = CLIP_VIT_B32_TEXT.outputs[0].name;
const SCALE_OUT = CLIP_VIT_B32_TEXT.outputs[1].name;
const TOKENIZER = CLIP_VIT_B32_TEXT.preprocess.tokenizer;

/** A text with more BPE tokens than the context holds (official: RuntimeError from clip.tokenize). */
export class TextTooLongError extends GenbenchError {
  constructor(
    readonly text: string,
    readonly tokens: number,
    readonly contextLength: number,
  ) {
    super(
      'E_INPUT',
      `the text ${JSON.stringify(text)} is ${tokens} tokens with the start and end tokens, over CLIP's context of ${contextLength}`,
      "openai/CLIP's clip.tokenize (truncate=False, as VBench calls it) raises a RuntimeError for such a text and the official run stops; shorten the text",
    );
  }
}

/** `clip.tokenize([text])[0]` (truncate=False): start + BPE ids + end, zero-padded to the context; TextTooLongError when it does not fit. */
export function strictClipTokens(tokenizer: ClipTokenizer, text: string): Int32Array {
  const ids = [CLIP_SOT, ...tokenizer.encode(text), CLIP_EOT];
  if (ids.length > tokenizer.contextLength) throw new TextTooLongError(text, ids.length, tokenizer.contextLength);
  const row = new Int32Array(tokenizer.contextLength);
  row.set(ids);
  return row;
}

/** Text embeddings and the logit scale of `count` token rows (`ids`: count × contextLength, int64). */
export async function encodeTextScaled(model: SessionModel, ids: BigInt64Array, count: number, contextLength: number): Promise<{ embeds: EmbeddingBatch; logitScale: number }> {
  const res = await model.session.run({ [TEXT_IN]: new ort.Tensor('int64', ids, [count, contextLength]) });
  const e = res[TEXT_OUT];
  const s = res[SCALE_OUT];
  if (!e || e.type !== 'float32' || e.dims.length !== 2 || e.dims[0] !== count || !s || s.type !== 'float32' || s.size !== 1) {
    throw new GenbenchError(
      'E_SIGNATURE',
      `the CLIP text tower gave ${describe(e)} for ${TEXT_OUT} and ${describe(s)} for ${SCALE_OUT}, expected float32 [${count}, D] and a float32 scalar`,
      `use a model with the ${CLIP_VIT_B32_TEXT.id} contract (tools/export/clip_text_b32.py)`,
    );
  }
  return { embeds: { count, dim: e.dims[1]!, data: e.data as Float32Array }, logitScale: (s.data as Float32Array)[0]! };
}

function describe(t: ort.Tensor | undefined): string {
  return t ? `${t.type} ${JSON.stringify(t.dims)}` : 'nothing';
}

/** A text as CLIP.forward uses it: its feature divided by its norm, and exp(logit_scale). */
export interface ClipTextFeature {
  unit: Float32Array;
  logitScale: number;
}

/** The feature of one text (strict tokenisation, one run of the tower). */
export async function clipTextFeature(model: SessionModel, tokenizer: ClipTokenizer, text: string): Promise<ClipTextFeature> {
  const row = strictClipTokens(tokenizer, text);
  const ids = BigInt64Array.from(row, (v) => BigInt(v));
  const { embeds, logitScale } = await encodeTextScaled(model, ids, 1, tokenizer.contextLength);
  return { unit: unitRowF32(embeds.data.subarray(0, embeds.dim)), logitScale };
}

/** The B/32 text tower's tokenizer: its companion file (CLIP_VIT_B32_TEXT.companions), loaded. */
export function clipB32TokenizerOf(model: { id: string; files?: Readonly<Record<string, string>> }): ClipTokenizer {
  const path = model.files?.[TOKENIZER.file];
  if (!path) {
    throw new GenbenchError('E_NOT_FOUND', `model ${model.id} has no ${TOKENIZER.file}`, `import it with \`genbench models import ${CLIP_VIT_B32_TEXT.id} FILE.onnx --with ${TOKENIZER.file}=PATH\` (tools/export/clip_text_b32.py writes both)`);
  }
  return loadClipTokenizer(path, TOKENIZER.contextLength);
}
