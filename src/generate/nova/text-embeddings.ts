/**
 * Cache of Phi-2 prompt features, keyed by (prompt text, the text encoder's and tokenizer's file
 * hashes, the token limit): the 2.7B encoder runs once per prompt, whatever the number of samples,
 * runs or shards. Stored under `<GENBENCH_HOME>/nova-text/<encoder key>/<prompt sha256>.f32` (raw
 * little-endian float32, tokens × features) with a `.json` beside it (token count, truncation,
 * sha256 of the data); the `.json` is written last, so its presence means the entry is complete.
 * An entry that does not check out (size or hash) is recomputed.
 *
 * The encoder is opened only on the first miss: a fully cached re-run never builds the Phi graph.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { sha256Hex, stableStringify } from '../../core/hash.ts';
import { writeJsonAtomic } from '../../core/json-file.ts';
import { genbenchHome } from '../../core/paths.ts';
import { writeBytesAtomic } from '../outputs/partial-file.ts';
import type { TextFeatures } from './sampler/networks.ts';

export interface TextEncoder {
  encodeText(prompts: readonly string[]): Promise<TextFeatures[]>;
}

interface EntryMeta {
  schema: 1;
  promptSha256: string;
  tokens: number;
  features: number;
  truncated: boolean;
  dataSha256: string;
}

export interface CachedFeatures extends TextFeatures {
  /** Whether the features came from the cache (false: the encoder ran now). */
  cached: boolean;
}

/** The cache key of an encoder: its files' hashes and the token limit. */
export function textEncoderKey(fileHashes: Record<string, string>, maxTokens: number): string {
  return sha256Hex(stableStringify({ files: fileHashes, maxTokens })).slice(0, 32);
}

export class TextEmbeddingCache {
  private encoder: Promise<TextEncoder> | undefined;
  readonly dir: string;

  constructor(
    encoderKey: string,
    private readonly featureDim: number,
    private readonly openEncoder: () => Promise<TextEncoder>,
    root: string = join(genbenchHome(), 'nova-text'),
  ) {
    this.dir = join(root, encoderKey);
  }

  private paths(prompt: string): { data: string; meta: string; sha: string } {
    const sha = sha256Hex(prompt);
    return { data: join(this.dir, `${sha}.f32`), meta: join(this.dir, `${sha}.json`), sha };
  }

  private read(prompt: string): TextFeatures | null {
    const p = this.paths(prompt);
    if (!existsSync(p.meta) || !existsSync(p.data)) return null;
    try {
      const meta = JSON.parse(readFileSync(p.meta, 'utf8')) as EntryMeta;
      const bytes = readFileSync(p.data);
      if (meta.promptSha256 !== p.sha || meta.features !== this.featureDim || bytes.length !== meta.tokens * meta.features * 4 || sha256Hex(bytes) !== meta.dataSha256) return null;
      const features = new Float32Array(meta.tokens * meta.features);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < features.length; i++) features[i] = view.getFloat32(i * 4, true);
      return { features, length: meta.tokens, truncated: meta.truncated };
    } catch {
      return null;
    }
  }

  private write(prompt: string, f: TextFeatures): void {
    const p = this.paths(prompt);
    const bytes = new Uint8Array(f.features.length * 4);
    const view = new DataView(bytes.buffer);
    f.features.forEach((v, i) => view.setFloat32(i * 4, v, true));
    writeBytesAtomic(p.data, bytes);
    const meta: EntryMeta = { schema: 1, promptSha256: p.sha, tokens: f.length, features: this.featureDim, truncated: f.truncated, dataSha256: sha256Hex(bytes) };
    writeJsonAtomic(p.meta, meta);
  }

  /** Features of `prompt`, from the cache or computed (and stored) now. */
  async get(prompt: string): Promise<CachedFeatures> {
    const hit = this.read(prompt);
    if (hit) return { ...hit, cached: true };
    this.encoder ??= this.openEncoder();
    const [f] = await (await this.encoder).encodeText([prompt]);
    if (!f || f.features.length !== f.length * this.featureDim) throw new GenbenchError('E_INPUT', `the text encoder returned ${f?.features.length} values for ${f?.length} tokens of ${this.featureDim}`);
    this.write(prompt, f);
    return { ...f, cached: false };
  }
}
