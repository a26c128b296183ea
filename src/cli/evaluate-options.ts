/** Options of `genbench evaluate` (also taken by `bench`, and by the GenEval path of evaluate). */
import type { Device } from '../core/contracts.ts';
import type { GeneratorInfo } from '../core/provenance.ts';
import type { Shard } from '../core/shard.ts';

export interface EvaluateOpts {
  suite: 'vbench' | 'geneval';
  mode: 'custom' | 'standard';
  videos?: string;
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
  /** GenEval: the official evaluator's --options k=v pairs (and logits=fp16|fp32); VBench: dimension settings (KEY=VALUE or DIMENSION.KEY=VALUE). */
  options?: string[];
  json?: boolean;
  quiet?: boolean;
}
