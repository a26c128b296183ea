/** Options of `genbench evaluate` (also taken by `bench`); built by evaluation-options.ts. */
import type { Device } from '../core/contracts.ts';
import type { GeneratorInfo } from '../core/provenance.ts';
import type { Shard } from '../core/shard.ts';

export interface EvaluateOpts {
  /** A registered suite id (src/suites/registry.ts). */
  suite: string;
  /** One of the suite's modes (a suite with one mode ignores it). */
  mode: string;
  /** The samples folder of a video suite (`--videos`). */
  videos?: string;
  /** The samples folder of an image suite (`--images`). */
  images?: string;
  dimensions?: string[];
  out?: string;
  device: Device;
  shard?: Shard;
  /** Default: defaultConcurrency() (one per core). */
  concurrency?: number;
  threads?: number;
  fixtureModels?: boolean;
  allowErrors?: boolean;
  allowPartial?: boolean;
  promptsDir?: string;
  /** GenEval: trust each folder's metadata.jsonl (prompt sets of your own); the pinned-prompt checks are skipped and recorded so. */
  folderPrompts?: boolean;
  /** The generator that made the samples (bench with a NOVA model), recorded in run.json. */
  generator?: GeneratorInfo;
  /** The suite's `--options` k=v pairs (GenEval: the official evaluator's and logits=fp16|fp32; VBench: KEY=VALUE or DIMENSION.KEY=VALUE). */
  options?: string[];
  json?: boolean;
  quiet?: boolean;
}
