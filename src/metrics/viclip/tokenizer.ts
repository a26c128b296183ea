/**
 * ViCLIP's text tokenisation as VBench runs it: `CLIP_TEXT.tokenize(text, context_length=32)`
 * (vbench/third_party/ViCLIP/viclip_text.py, truncate=True) with the text encoder's own
 * SimpleTokenizer — openai/CLIP's, not the one passed to ViCLIP. Ids = 49406 + BPE ids + 49407; a
 * longer row keeps its first 32 ids and puts 49407 last; zero-padded to 32.
 *
 * The BPE itself is the CLIP one of src/metrics/clip/clip-tokenizer.ts (same vocabulary, cleaning and
 * merges). openai/CLIP's tokenizer differs from open_clip's only in its special tokens
 * (`<|startoftext|>`, `<|endoftext|>` instead of `<start_of_text>`, `<end_of_text>`, which openai's
 * splits as ordinary text), so the text is cleaned and split here with openai's pattern and each
 * ordinary piece is encoded by the CLIP tokenizer: cleaning a piece again changes nothing (pieces hold
 * no white space, no upper case, no entity and nothing ftfy would still fix), and a piece splits into
 * itself.
 */
import { GenbenchError } from '../../core/errors.ts';
import { CLIP_EOT, CLIP_SOT, ClipTokenizer, loadClipTokenizer } from '../clip/clip-tokenizer.ts';
import { clipCleanText, PY_WHITESPACE } from '../clip/clip-text-clean.ts';
import { VICLIP_CONTEXT, VICLIP_L14_TEXT } from './spec.ts';

/** openai/CLIP SimpleTokenizer's pattern (the text is lower-cased before it, so IGNORECASE changes nothing). */
const PIECES = new RegExp(`<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^${PY_WHITESPACE}\\p{L}\\p{N}]+`, 'gu');
const SPECIALS: ReadonlyMap<string, number> = new Map([
  ['<|startoftext|>', CLIP_SOT],
  ['<|endoftext|>', CLIP_EOT],
]);

/** One prompt's row for the text tower, and what truncation did to it. */
export interface ViclipTokens {
  /** `contextLength` ids, zero-padded. */
  ids: Int32Array;
  /** Ids the prompt has before truncation (start and end tokens included). */
  length: number;
  /** True when `length` exceeds the context: the row was cut and ends with 49407 in place of a prompt token. */
  truncated: boolean;
}

export class ViclipTokenizer {
  readonly contextLength: number;

  constructor(
    private readonly bpe: ClipTokenizer,
    contextLength: number = VICLIP_CONTEXT,
  ) {
    if (!Number.isInteger(contextLength) || contextLength < 2) throw new RangeError(`context length must be an integer ≥ 2, got ${contextLength}`);
    this.contextLength = contextLength;
  }

  /** SimpleTokenizer.encode: the BPE ids of a text, without start and end tokens. */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const m of clipCleanText(text).matchAll(PIECES)) {
      const special = SPECIALS.get(m[0]);
      if (special !== undefined) out.push(special);
      else out.push(...this.bpe.encode(m[0]));
    }
    return out;
  }

  /** `CLIP_TEXT.tokenize(text, context_length)[0]` with truncate=True. */
  tokenize(text: string): ViclipTokens {
    const ids = [CLIP_SOT, ...this.encode(text), CLIP_EOT];
    const length = ids.length;
    const truncated = length > this.contextLength;
    if (truncated) {
      ids.length = this.contextLength;
      ids[this.contextLength - 1] = CLIP_EOT;
    }
    const row = new Int32Array(this.contextLength);
    row.set(ids);
    return { ids: row, length, truncated };
  }
}

/** The tokenizer of a ViCLIP text tower: its tokenizer.json companion (E_NOT_FOUND when missing, E_INPUT when not a CLIP BPE file). */
export function loadViclipTokenizer(path: string, contextLength: number = VICLIP_CONTEXT): ViclipTokenizer {
  return new ViclipTokenizer(loadClipTokenizer(path, contextLength), contextLength);
}

/** The same for a loaded text tower (its companion file, VICLIP_L14_TEXT.companions), with a hint on how to import it. */
export function viclipTokenizerOf(model: { id: string; files?: Readonly<Record<string, string>> }): ViclipTokenizer {
  const file = VICLIP_L14_TEXT.preprocess.tokenizer.file;
  const path = model.files?.[file];
  if (!path) {
    throw new GenbenchError('E_NOT_FOUND', `model ${model.id} has no ${file}`, `import it with \`genbench models import ${VICLIP_L14_TEXT.id} FILE.onnx --with ${file}=PATH\` (a CLIP BPE tokenizer.json)`);
  }
  return loadViclipTokenizer(path);
}
