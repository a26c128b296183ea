/**
 * CLIP's BPE tokenisation as open_clip 2.20.0 `tokenize(texts, context_length=77)` does it:
 * clean the text (clip-text-clean.ts), split it with SimpleTokenizer's pattern
 * (`<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`),
 * map each piece's UTF-8 bytes to CLIP's byte-level symbols, apply BPE (end-of-word suffix `</w>`),
 * look the tokens up, then `[49406] + ids + [49407]`, cut to 77 keeping 49407 last, pad with 0.
 *
 * The vocabulary and merges come from a Hugging Face `tokenizer.json` (the BPE `model` section;
 * openai/clip-vit-large-patch14's file, or one written from open_clip's bpe_simple_vocab_16e6 by
 * tools/export/clip_text.py); the merging itself is @huggingface/tokenizers' BPE. Only the model
 * section is used: cleaning, splitting and special tokens are done here as open_clip does them,
 * so the file's normalizer/pre-tokenizer settings cannot change the ids.
 *
 * Parity: tests/golden/clip-tokenizer.json (tools/parity/clip_tokenizer_golden.py runs the official
 * tokenizer on every GenEval colour prompt and on awkward strings).
 */
import { readFileSync } from 'node:fs';
import * as hfTokenizers from '@huggingface/tokenizers';
import { GenbenchError } from '../../core/errors.ts';
import { clipCleanText, PY_WHITESPACE } from './clip-text-clean.ts';

export const CLIP_CONTEXT_LENGTH = 77;
export const CLIP_SOT = 49406;
export const CLIP_EOT = 49407;

const SPECIALS: ReadonlyMap<string, number> = new Map([
  ['<start_of_text>', CLIP_SOT],
  ['<end_of_text>', CLIP_EOT],
]);
const PIECES = new RegExp(`<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^${PY_WHITESPACE}\\p{L}\\p{N}]+`, 'gu');

/** GPT-2/CLIP `bytes_to_unicode`: byte value → the symbol standing for it in the vocabulary. */
function byteSymbols(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const symbols = new Array<string>(256);
  for (const b of bs) symbols[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (symbols[b] === undefined) symbols[b] = String.fromCodePoint(256 + n++);
  return symbols;
}
const BYTE_SYMBOLS = byteSymbols();

/** The part of @huggingface/tokenizers' BPE model used here. (Its .d.ts re-exports use extensionless
 * relative paths, which NodeNext resolution does not follow, so the class is typed locally.) */
interface BpeModel {
  bpe(token: string): string[];
}
const BPE = (hfTokenizers as unknown as { BPE: new (config: Record<string, unknown>) => BpeModel }).BPE;
const UTF8 = new TextEncoder();

interface BpeModelSection {
  type?: string;
  vocab: Record<string, number>;
  merges: (string | [string, string])[];
  end_of_word_suffix?: string | null;
  unk_token?: string | null;
  [k: string]: unknown;
}

export class ClipTokenizer {
  readonly contextLength: number;
  private readonly bpe: BpeModel;
  private readonly ids: Map<string, number>;

  /** From the parsed JSON of a tokenizer.json (`source` names it in errors). */
  constructor(tokenizerJson: unknown, source = 'tokenizer.json', contextLength = CLIP_CONTEXT_LENGTH) {
    const model = (tokenizerJson as { model?: BpeModelSection } | null)?.model;
    const bad = (why: string): never => {
      throw new GenbenchError('E_INPUT', `${source} is not a CLIP BPE tokenizer: ${why}`, 'use the tokenizer.json of openai/clip-vit-large-patch14 or the one tools/export/clip_text.py writes');
    };
    if (!model || typeof model !== 'object') bad('no "model" section');
    if (model!.type !== undefined && model!.type !== 'BPE') bad(`model type ${String(model!.type)}, expected BPE`);
    if (!model!.vocab || typeof model!.vocab !== 'object' || !Array.isArray(model!.merges)) bad('the model has no vocab/merges');
    if (model!.end_of_word_suffix !== '</w>') bad(`end_of_word_suffix is ${JSON.stringify(model!.end_of_word_suffix)}, CLIP uses "</w>"`);
    const sot = model!.vocab['<|startoftext|>'] ?? model!.vocab['<start_of_text>'];
    const eot = model!.vocab['<|endoftext|>'] ?? model!.vocab['<end_of_text>'];
    if (sot !== CLIP_SOT || eot !== CLIP_EOT) bad(`start/end tokens have ids ${sot}/${eot}, expected ${CLIP_SOT}/${CLIP_EOT}`);
    if (!Number.isInteger(contextLength) || contextLength < 2) throw new RangeError(`context length must be an integer ≥ 2, got ${contextLength}`);
    this.contextLength = contextLength;
    // unk_token null: a token missing from the vocabulary is an error here, never a silent substitute
    this.bpe = new BPE({ ...model!, unk_token: null });
    this.ids = new Map(Object.entries(model!.vocab));
  }

  /** The BPE ids of one text, without start/end tokens (SimpleTokenizer.encode). */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const m of clipCleanText(text).matchAll(PIECES)) {
      const piece = m[0];
      const special = SPECIALS.get(piece);
      if (special !== undefined) {
        out.push(special);
        continue;
      }
      let symbols = '';
      for (const b of UTF8.encode(piece)) symbols += BYTE_SYMBOLS[b];
      for (const token of this.bpe.bpe(symbols)) {
        const id = this.ids.get(token);
        if (id === undefined) {
          throw new GenbenchError('E_INPUT', `token ${JSON.stringify(token)} of ${JSON.stringify(text)} is not in the vocabulary`, 'the tokenizer.json is incomplete: use the full CLIP vocabulary');
        }
        out.push(id);
      }
    }
    return out;
  }

  /** open_clip `tokenize([text])[0]`: start + ids + end, cut to the context (end token kept last), zero-padded. */
  tokenize(text: string): Int32Array {
    const ids = [CLIP_SOT, ...this.encode(text), CLIP_EOT];
    if (ids.length > this.contextLength) {
      ids.length = this.contextLength;
      ids[this.contextLength - 1] = CLIP_EOT;
    }
    const row = new Int32Array(this.contextLength);
    row.set(ids);
    return row;
  }

  /** `tokenize(texts)` as one row-major int64 batch [texts.length, contextLength] (the text tower's `input_ids`). */
  tokenizeBatch(texts: readonly string[]): BigInt64Array {
    const out = new BigInt64Array(texts.length * this.contextLength);
    texts.forEach((t, i) => {
      const row = this.tokenize(t);
      for (let j = 0; j < row.length; j++) out[i * this.contextLength + j] = BigInt(row[j]!);
    });
    return out;
  }
}

/** Read a tokenizer.json file. Errors: E_NOT_FOUND, E_INPUT (not JSON / not a CLIP BPE tokenizer). */
export function loadClipTokenizer(path: string, contextLength = CLIP_CONTEXT_LENGTH): ClipTokenizer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GenbenchError('E_NOT_FOUND', `cannot read the CLIP tokenizer ${path}: ${(e as Error).message}`, 'fetch openai/clip-vit-large-patch14 tokenizer.json or write it with tools/export/clip_text.py', { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new GenbenchError('E_INPUT', `${path} is not JSON: ${(e as Error).message}`, 'the file is truncated or not a tokenizer.json', { cause: e });
  }
  return new ClipTokenizer(json, path, contextLength);
}
