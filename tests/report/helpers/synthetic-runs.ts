/**
 * Synthetic run directories for report, gate and benchmark tests: real run.json / records / scores.json
 * files in the shapes the pipeline writes, with per-sample values chosen by the caller.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { numpyMean } from '../../../src/core/pycompat/numpy-mean.ts';
import type { Provenance } from '../../../src/core/provenance.ts';
import type { ScoresFile } from '../../../src/core/scores-file.ts';
import { vbenchHeadline } from '../../../src/suites/vbench/headline-scores.ts';
import type { SampleRecord } from '../../../src/core/contracts.ts';
import { genevalOverall } from '../../../src/suites/geneval/overall.ts';
import { Prng } from '../../../src/report/stats/prng.ts';

export interface SyntheticSample {
  prompt: string;
  index: number;
  value: number | boolean;
  ok?: boolean;
  path?: string;
}

export interface SyntheticRun {
  suite?: 'vbench' | 'geneval';
  mode?: string;
  /** Samples per dimension. */
  dimensions: Record<string, SyntheticSample[]>;
  /** Overrides of provenance fields (to craft incomparable runs). */
  provenance?: Partial<Provenance>;
  smoke?: boolean;
  allowPartial?: boolean;
  /** Per dimension: per-sample values are this many times the score's unit (the score is their mean ÷ it; imaging_quality 100). */
  perSampleScale?: Record<string, number>;
}

export function baseProvenance(suite: string, mode: string, dims: string[]): Provenance {
  return {
    schema: 1,
    tool: { name: 'genbench', version: '0.1.0', gitCommit: null, gitDirty: null },
    suite,
    mode,
    promptSet: { name: `${suite}-synthetic`, sha256: 'a'.repeat(64), count: 0 },
    samples: null,
    generator: { id: 'synthetic', settings: {} },
    models: { metric: { sha256: 'b'.repeat(64) } },
    dimensions: Object.fromEntries(dims.map((d) => [d, { version: 1 }])),
    aggregation: 'single-process',
    executionProvider: 'cpu',
    shard: null,
    host: { hostname: 'test', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'test', memoryBytes: 1, node: process.version },
    versions: {},
    command: ['synthetic'],
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:10:00.000Z',
  };
}

/** Write a run directory; scores are the numpy mean of the values, headlines as the suite computes them. */
export function writeSyntheticRun(root: string, r: SyntheticRun): string {
  const suite = r.suite ?? 'vbench';
  const mode = r.mode ?? 'standard';
  mkdirSync(join(root, 'records'), { recursive: true });
  const prov = { ...baseProvenance(suite, mode, Object.keys(r.dimensions)), ...(r.provenance ?? {}) };
  writeFileSync(join(root, 'run.json'), `${JSON.stringify(prov, null, 2)}\n`);
  const dims: ScoresFile['dimensions'] = {};
  let errors = 0;
  for (const [dim, samples] of Object.entries(r.dimensions)) {
    const lines: string[] = [];
    const ok: number[] = [];
    samples.forEach((s, i) => {
      const good = s.ok !== false;
      const rec: SampleRecord = {
        key: `${dim}:${s.prompt}:${s.index}:${i}`,
        dimension: dim,
        sample: `${s.prompt}-${s.index}.mp4#${i}`,
        path: s.path ?? join(root, 'samples', `${s.prompt}-${s.index}.mp4`),
        prompt: s.prompt,
        index: s.index,
        contentSha256: 'c'.repeat(64),
        ok: good,
        ...(good ? { value: s.value } : { error: { code: 'E_DECODE', message: 'synthetic failure' } }),
        at: '2025-01-01T00:00:00.000Z',
      };
      lines.push(JSON.stringify(rec));
      if (good) ok.push(typeof s.value === 'boolean' ? (s.value ? 1 : 0) : s.value);
    });
    writeFileSync(join(root, 'records', `${dim}.jsonl`), lines.length ? `${lines.join('\n')}\n` : '');
    const errs = samples.length - ok.length;
    errors += errs;
    const scale = r.perSampleScale?.[dim] ?? 1;
    dims[dim] = { score: ok.length ? numpyMean(ok) / scale : null, samples: ok.length, errors: errs, expected: samples.length, ...(scale !== 1 ? { perSampleScale: scale } : {}) };
  }
  const present = Object.fromEntries(Object.entries(dims).filter(([, d]) => d.score !== null).map(([k, d]) => [k, d.score!]));
  let headline: ScoresFile['headline'];
  if (suite === 'geneval') headline = { overall: genevalOverall(present, r.allowPartial ?? false) };
  else {
    const h = vbenchHeadline(present, r.allowPartial ?? false);
    headline = { quality: h.quality, semantic: h.semantic, total: h.total };
  }
  const scores: ScoresFile = {
    schema: 1,
    suite,
    mode,
    dimensions: Object.fromEntries(Object.keys(dims).sort().map((k) => [k, dims[k]!])),
    headline,
    errors,
    smoke: r.smoke ?? false,
  };
  writeFileSync(join(root, 'scores.json'), `${JSON.stringify(scores, null, 2)}\n`);
  return root;
}

/**
 * Samples with a prompt effect: value = clamp(mu + promptEffect + noise). Samples of one prompt share
 * the prompt effect, as videos of one prompt share its difficulty.
 */
export function promptEffectSamples(o: {
  prompts: string[];
  perPrompt: number;
  mu: number;
  promptSd: number;
  noiseSd: number;
  rng: Prng;
  /** Shared prompt effects (to correlate two runs); drawn when absent. */
  effects?: Map<string, number>;
  clamp?: [number, number];
}): SyntheticSample[] {
  const out: SyntheticSample[] = [];
  for (const p of o.prompts) {
    let eff = o.effects?.get(p);
    if (eff === undefined) {
      eff = o.rng.normal() * o.promptSd;
      o.effects?.set(p, eff);
    }
    for (let i = 0; i < o.perPrompt; i++) {
      let v = o.mu + eff + o.rng.normal() * o.noiseSd;
      if (o.clamp) v = Math.min(o.clamp[1], Math.max(o.clamp[0], v));
      out.push({ prompt: p, index: i, value: v });
    }
  }
  return out;
}

export function promptNames(n: number, prefix = 'prompt'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix} ${String(i).padStart(4, '0')}`);
}
