/**
 * VBench temporal_style and overall_consistency end to end against the OFFICIAL code
 * (tests/golden/vbench-viclip.json, made by tools/parity/viclip_golden.py: VBench.evaluate run
 * unmodified on a reduced random-weight ViCLIP of the official classes, loaded strictly from a
 * `{'model': state_dict}` checkpoint; tiny ONNX towers exported from the same checkpoint).
 *
 * (a) the ViCLIP tokenizer (reduced fixture vocabulary, real ids) gives the official ids of ALL 193
 *     temporal_style and overall_consistency prompts, lengths before truncation included;
 * (b) onnxruntime-node on the tiny towers reproduces torch (`model_checks`);
 * (c) the dimensions, on the golden's videos under their standard-mode names (listed by our
 *     standard-mode listing, in the official order), give per-video values within 1e-4 of the
 *     official ones, the same frame indices, the same dimension scores, and a
 *     vbench_eval_results.json entry of the official shape.
 * Upstream prompt text comes from the pinned VBench_full_info.json (skips with the reason when absent).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { DimensionContext, SampleRecord } from '../../src/core/contracts.ts';
import type { ModelHandle } from '../../src/runtime/model-handle.ts';
import { loadViclipTokenizer } from '../../src/metrics/viclip/tokenizer.ts';
import { temporalStyle } from '../../src/suites/vbench/temporal-style.ts';
import { overallConsistency } from '../../src/suites/vbench/overall-consistency.ts';
import { listStandardSamples, parseFullInfo, type FullInfoEntry } from '../../src/suites/vbench/standard-samples.ts';
import { vbenchEvalResults } from '../../src/suites/vbench/official-export.ts';
import { checkInput, rebuildGoldenVideos, resolveVbenchPrompts, sha256Of, type GoldenVideoSource } from '../helpers/golden-videos.ts';
import { readUpstreamFile } from '../helpers/upstream-files.ts';
import { upstreamTextSkip, VBENCH_FULL_INFO } from '../helpers/upstream-text.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TOLERANCE = 1e-4;
const TOKENIZER = join(root, 'tests/fixtures/viclip-tokenizer-reduced.json');

interface GoldenVideo extends GoldenVideoSource {
  file: string;
  frames: number;
  frame_indices: number[];
  video_results: number;
}
interface GoldenEntry {
  full_info_index: number;
  token_ids: number[];
  tokens_before_truncation: number;
  truncated: boolean;
  videos: GoldenVideo[];
}
interface Golden {
  models: Record<'video' | 'text', { contract: string; file: string; sha256: string }>;
  model_checks: { checks: { model: 'video' | 'text'; input_name: string; shape: number[]; output_name: string; output: number[][]; full_info_indices?: number[] }[] };
  tokenizer: { ids: Record<string, number[]>; lengths_before_truncation: Record<string, number> };
  dimensions: Record<'temporal_style' | 'overall_consistency', { entries: GoldenEntry[]; score: number; official_eval_results: [number, { video_path: string; video_results: number }[]] }>;
}
const golden = JSON.parse(readFileSync(`${root}tests/golden/vbench-viclip.json`, 'utf8')) as Golden;
const skip = upstreamTextSkip.vbench;

let info: FullInfoEntry[] = [];
let work = '';
const handles = new Map<string, ModelHandle>();

before(async () => {
  if (skip) return;
  info = parseFullInfo(readUpstreamFile(VBENCH_FULL_INFO), VBENCH_FULL_INFO);
  for (const [name, m] of Object.entries(golden.models)) {
    const path = join(root, m.file);
    assert.equal(sha256Of(path), m.sha256, `${m.file} is not the file the golden was made with`);
    const h: ModelHandle = { id: m.contract, sha256: m.sha256, session: await ort.InferenceSession.create(path), ...(name === 'text' ? { files: { 'viclip-l14-tokenizer.json': TOKENIZER } } : {}) };
    handles.set(m.contract, h);
    handles.set(name, h);
  }
  work = mkdtempSync(join(tmpdir(), 'genbench-viclip-'));
  const entries = Object.values(golden.dimensions).flatMap((d) => d.entries);
  const made = await rebuildGoldenVideos(join(work, 'made'), entries.flatMap((e) => e.videos));
  mkdirSync(join(work, 'videos'));
  for (const v of entries.flatMap((e) => e.videos)) copyFileSync(made.get(v.video)!, join(work, 'videos', resolveVbenchPrompts(v.file, info)));
});

after(async () => {
  for (const h of new Set(handles.values())) await h.session.release();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('ViCLIP tokenizer: the official ids (context 32, truncation) of all 193 temporal_style and overall_consistency prompts', { skip }, () => {
  const tok = loadViclipTokenizer(TOKENIZER);
  const wanted = info.map((e, i) => [e, i] as const).filter(([e]) => e.dimension.includes('temporal_style') || e.dimension.includes('overall_consistency'));
  assert.equal(wanted.length, 193);
  assert.deepEqual(wanted.map(([, i]) => String(i)).sort(), Object.keys(golden.tokenizer.ids).sort());
  let truncated = 0;
  for (const [e, i] of wanted) {
    const t = tok.tokenize(e.prompt_en);
    const row = [...t.ids];
    const expected = golden.tokenizer.ids[String(i)]!;
    assert.deepEqual(row.slice(0, expected.length), expected, `entry ${i}`);
    assert.ok(row.slice(expected.length).every((x) => x === 0), `entry ${i} is zero-padded`);
    assert.equal(t.length, golden.tokenizer.lengths_before_truncation[String(i)], `entry ${i} length before truncation`);
    assert.equal(t.truncated, t.length > 32);
    if (t.truncated) truncated++;
  }
  assert.equal(truncated, 12, 'ten temporal_style and two overall_consistency prompts exceed the context');
});

test('tiny ViCLIP towers: onnxruntime-node matches torch within 1e-4', { skip }, async () => {
  for (const c of golden.model_checks.checks) {
    const { session } = handles.get(c.model)!;
    const n = c.shape.reduce((a, b) => a * b, 1);
    let feed: ort.Tensor;
    if (c.model === 'video') feed = new ort.Tensor('float32', checkInput(n, -0.5), c.shape);
    else {
      const rows = c.full_info_indices!.map((i) => golden.tokenizer.ids[String(i)]!);
      const ids = new BigInt64Array(n);
      rows.forEach((r, k) => r.forEach((v, j) => (ids[k * c.shape[1]! + j] = BigInt(v))));
      feed = new ort.Tensor('int64', ids, c.shape);
    }
    const out = (await session.run({ [c.input_name]: feed }))[c.output_name]!;
    assert.deepEqual(out.dims, [c.shape[0], c.output[0]!.length]);
    const data = out.data as Float32Array;
    let maxAbs = 0;
    c.output.flat().forEach((v, i) => (maxAbs = Math.max(maxAbs, Math.abs(data[i]! - v))));
    process.stdout.write(`# viclip ${c.model}: ORT vs torch max |Δ| ${maxAbs.toExponential(3)}\n`);
    assert.ok(maxAbs <= TOLERANCE, `${c.model}: max |Δ| ${maxAbs}`);
  }
});

const ctx: DimensionContext<ModelHandle> = {
  models: {
    async get(id: string) {
      const h = handles.get(id);
      if (!h) throw new Error(`no model ${id}`);
      return h;
    },
  },
  log() {},
  device: 'cpu',
};

for (const [dim, definition] of [['temporal_style', temporalStyle], ['overall_consistency', overallConsistency]] as const) {
  test(`${dim}: per-video values within 1e-4 of the official ones, same frames, same score, official export shape`, { skip }, async () => {
    const g = golden.dimensions[dim];
    const listing = await listStandardSamples({ videosDir: join(work, 'videos'), fullInfo: info, dimensions: [dim] });
    const samples = listing.byDimension[dim]!;
    const expected = g.entries.flatMap((e) => e.videos.map((v) => ({ e, v, name: resolveVbenchPrompts(v.file, info) })));
    assert.deepEqual(samples.map((s) => s.id), expected.map((x) => x.name), 'the official order');
    const d = definition.create();
    const records: SampleRecord[] = [];
    let worst = 0;
    for (const [k, s] of samples.entries()) {
      const { e, v } = expected[k]!;
      const r = await d.scoreSample(s, ctx);
      assert.equal(r.extra?.['frames'], v.frames, `${s.id} frames`);
      assert.deepEqual(r.extra?.['frame_indices'], v.frame_indices, `${s.id} frame indices`);
      assert.equal(r.extra?.['prompt_tokens'], e.tokens_before_truncation);
      assert.equal(r.extra?.['truncated'], e.truncated);
      const delta = Math.abs((r.value as number) - v.video_results);
      process.stdout.write(`# ${dim} entry ${e.full_info_index} ${v.video}: ${r.value} vs ${v.video_results} |Δ| ${delta.toExponential(3)}\n`);
      assert.ok(delta <= TOLERANCE, `${s.id}: |Δ| ${delta}`);
      worst = Math.max(worst, delta);
      records.push({ key: `${dim}:${s.id}`, dimension: dim, sample: s.id, path: s.path, prompt: s.prompt, contentSha256: s.contentSha256, ok: true, value: r.value, extra: r.extra, at: new Date(0).toISOString() });
    }
    const score = d.aggregate(records);
    const ds = Math.abs(score - g.score);
    process.stdout.write(`# ${dim}: ${score} vs ${g.score} |Δ| ${ds.toExponential(3)} (worst video ${worst.toExponential(3)})\n`);
    assert.ok(ds <= TOLERANCE, `score |Δ| ${ds}`);

    const [officialScore, officialVideos] = g.official_eval_results;
    const [ourScore, ourVideos] = vbenchEvalResults({ [dim]: { score, records } })[dim]!;
    assert.ok(Math.abs(ourScore - officialScore) <= TOLERANCE);
    assert.equal(ourVideos.length, officialVideos.length);
    ourVideos.forEach((o, i) => {
      const off = officialVideos[i]!;
      assert.deepEqual(Object.keys(o).sort(), Object.keys(off).sort(), 'the same fields per video');
      assert.equal(basename(o.video_path), resolveVbenchPrompts(off.video_path.replace(/^VIDEOS\//, ''), info));
      assert.ok(Math.abs((o.video_results as number) - off.video_results) <= TOLERANCE);
    });
  });
}
