/**
 * Dimension definitions (src/core/define-dimension.ts): only parameters that change numbers enter a
 * record's key and the run.json resume comparison; notes are recorded and never compared; records
 * and run.json entries written before the split are still found through each dimension's frozen
 * `previousSettings`, which must give back exactly the settings objects genbench 341c381 built
 * (tests/fixtures/runs/pre-define-dimension/settings.json, written by that version).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineDimension, type ParamSpecs } from '../../src/core/define-dimension.ts';
import { GenbenchError } from '../../src/core/errors.ts';
import { silentProgress } from '../../src/core/progress.ts';
import { dimensionEntriesAgree, dimensionEntry, evaluationProvenance } from '../../src/core/provenance.ts';
import { legacyRecordKey, recordKey, sampleIdentity } from '../../src/core/record-key.ts';
import { RecordsStore } from '../../src/core/records-store.ts';
import { provenanceConflicts, RunDir } from '../../src/core/run-dir.ts';
import { scoreDimension } from '../../src/core/score-dimension.ts';
import type { Dimension, SampleRecord, SampleRef } from '../../src/core/contracts.ts';
import { createGenevalDimensions } from '../../src/suites/geneval/dimensions.ts';
import { clipColorSupport } from '../../src/suites/geneval/clip-color-support.ts';
import { COCO_CLASS_NAMES } from '../../src/suites/geneval/coco-class-names.ts';
import { createVbenchDimensionWithOptions } from '../../src/suites/vbench/dimension-options.ts';
import { vbenchDefinitions } from '../../src/suites/vbench/dimension-registry.ts';
import { createImagingQualityDimension } from '../../src/suites/vbench/imaging-quality.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/runs/pre-define-dimension');

interface Build {
  dimension: string;
  build: {
    options?: Record<string, string>;
    preprocessingMode?: NonNullable<Parameters<typeof createImagingQualityDimension>[0]>['preprocessingMode'];
    firstFrames?: number;
    geneval?: { options?: Record<string, number>; logits?: 'fp16' | 'fp32' };
  };
  settings: Record<string, unknown>;
  models: string[];
}

async function buildNow(b: Build): Promise<Dimension> {
  if (b.build.geneval) {
    const g = b.build.geneval;
    const dims = createGenevalDimensions([b.dimension], { classNames: COCO_CLASS_NAMES, options: g.options, ...(g.logits ? { color: clipColorSupport({ logits: g.logits }) } : {}) });
    return dims[0]!;
  }
  if (b.build.firstFrames !== undefined) return createImagingQualityDimension({ preprocessingMode: b.build.preprocessingMode, firstFrames: b.build.firstFrames });
  return createVbenchDimensionWithOptions(b.dimension, b.build.options);
}

test('every dimension’s previousSettings is the settings object genbench built before the split, for every parameter value', async () => {
  const builds = (JSON.parse(readFileSync(join(FIXTURE, 'settings.json'), 'utf8')) as { builds: Build[] }).builds;
  assert.equal(builds.length, 35);
  for (const b of builds) {
    const d = await buildNow(b);
    const what = `${b.dimension} ${JSON.stringify(b.build)}`;
    assert.deepEqual(d.previousSettings, b.settings, what);
    assert.deepEqual(d.models, b.models, what);
    // The old key of a sample is the key under the previous settings.
    const parts = { identity: { sample: 'a-0.mp4', prompt: 'a', index: 0 }, contentSha256: 'c', dimension: d.id, modelHashes: { m: 'h' } };
    assert.equal(recordKey({ ...parts, settings: d.previousSettings! }), recordKey({ ...parts, settings: b.settings }), what);
  }
});

test('settings hold only what changes numbers: VBench settings are the declared parameters, the descriptions are notes', async () => {
  for (const def of vbenchDefinitions()) {
    const d = def.create();
    const numberParams = Object.entries(def.params).filter(([, s]) => s.changesNumbers && s.default !== undefined).map(([k]) => k);
    assert.deepEqual(Object.keys(d.settings).sort(), numberParams.sort(), def.id);
    assert.ok(d.notes && typeof d.notes['official'] === 'string', `${def.id} notes name the official source`);
  }
  const bc = await createVbenchDimensionWithOptions('background_consistency', { cosine: 'fp32' });
  assert.deepEqual(bc.settings, { cosine: 'fp32' });
  const dd = await createVbenchDimensionWithOptions('dynamic_degree', { exhaustive: 'true' });
  assert.deepEqual(dd.settings, { exhaustive: true });
  const iq = createImagingQualityDimension({ firstFrames: 3 });
  assert.deepEqual(iq.settings, { preprocessing_mode: 'longer', first_frames: 3 });
  const [colors] = createGenevalDimensions(['colors'], { classNames: COCO_CLASS_NAMES, options: { maxObjects: 8 } });
  assert.deepEqual(colors!.settings['options'], { threshold: 0.3, counting_threshold: 0.9, max_objects: 8, max_overlap: 1, position_threshold: 0.1 });
  assert.deepEqual(Object.keys(colors!.settings).sort(), ['classNamesSha256', 'color', 'options']);
  assert.equal(typeof colors!.settings['classNamesSha256'], 'string');
  assert.equal(colors!.settings['official'], undefined);
  assert.equal(typeof colors!.notes!['official'], 'string');
});

// A toy dimension: the mean of a sample's bytes (given in its identity), times `scale`.
type ToyParams = { scale: number; label: string };
const toyParams: ParamSpecs<ToyParams> = {
  scale: { parse: Number, default: 1, help: 'multiplies every value', changesNumbers: true },
  label: { default: 'x', help: 'a name for the output, nothing more', changesNumbers: false },
};
function toy(o: { notes?: Record<string, unknown>; previous?: boolean; revision?: number; calls?: string[] } = {}) {
  return defineDimension<ToyParams>({
    id: 'toy',
    suite: 'vbench',
    models: [],
    params: toyParams,
    notes: o.notes ?? { how: 'mean of the bytes' },
    ...(o.previous ? { previousSettings: (p: Readonly<ToyParams>) => ({ how: 'mean of the bytes (old words)', scale: p.scale }) } : {}),
    ...(o.revision !== undefined ? { revision: o.revision } : {}),
    scorer: (p) => async (sample) => {
      o.calls?.push(sample.id);
      const bytes = sample.identity!['bytes'] as number[];
      return { value: (p.scale * bytes.reduce((a, b) => a + b, 0)) / bytes.length };
    },
    aggregate: (records) => records.reduce((a, r) => a + (r.value as number), 0) / records.length,
  });
}

const samples: SampleRef[] = [
  { id: 'a-0.mp4', path: '/x/a-0.mp4', prompt: 'a', index: 0, contentSha256: 'ca', identity: { bytes: [1, 2, 3] } },
  { id: 'b-0.mp4', path: '/x/b-0.mp4', prompt: 'b', index: 0, contentSha256: 'cb', identity: { bytes: [10, 20] } },
];

async function score(d: Dimension, store: RecordsStore) {
  return scoreDimension({ dimension: d, samples, store, modelHashes: {}, ctx: { log() {}, device: 'cpu' }, progress: silentProgress() });
}

test('rewording a note or changing a parameter that does not change numbers re-scores nothing; a number-changing parameter re-scores everything', async () => {
  const store = new RecordsStore(join(mkdtempSync(join(tmpdir(), 'gb-define-')), 'toy.jsonl'));
  const calls: string[] = [];
  const first = await score(toy({ calls }).create(), store);
  assert.equal(first.scoredNow, 2);
  assert.deepEqual(first.records.map((r) => r.value), [2, 15]);
  const reworded = toy({ calls, notes: { how: 'the arithmetic mean of the bytes, reworded' } }).create({ label: 'y' });
  assert.deepEqual(reworded.settings, { scale: 1 });
  assert.deepEqual(reworded.notes, { how: 'the arithmetic mean of the bytes, reworded', label: 'y' });
  const again = await score(reworded, store);
  assert.deepEqual([again.scoredNow, again.reused], [0, 2]);
  assert.deepEqual(calls, ['a-0.mp4', 'b-0.mp4']);
  const scaled = await score(toy({ calls }).create({ scale: 2 }), store);
  assert.deepEqual([scaled.scoredNow, scaled.reused], [2, 0]);
  assert.deepEqual(scaled.records.map((r) => r.value), [4, 30]);
  const same = await score(toy({ calls }).create({ scale: 2 }), store);
  assert.deepEqual([same.scoredNow, same.reused], [0, 2], 'the same parameters again: reused');
  store.close();
});

test('records keyed by the previous settings (with or without the sample identity) are reused; a revision scores them again', async () => {
  const store = new RecordsStore(join(mkdtempSync(join(tmpdir(), 'gb-define-')), 'toy.jsonl'));
  const old = toy({ previous: true }).create();
  const before = { how: 'mean of the bytes (old words)', scale: 1 };
  assert.deepEqual(old.previousSettings, before);
  const at = new Date().toISOString();
  const rec = (s: SampleRef, key: string, value: number): SampleRecord => ({ key, dimension: 'toy', sample: s.id, path: s.path, prompt: s.prompt, index: 0, order: samples.indexOf(s), contentSha256: s.contentSha256, ok: true, value, at });
  // Sample a: written by the version before the split (key with the sample identity, old settings);
  // sample b: by an older one (key without the identity). Values are marked so reuse shows.
  store.append(rec(samples[0]!, recordKey({ identity: sampleIdentity(samples[0]!), contentSha256: 'ca', dimension: 'toy', modelHashes: {}, settings: before }), 111));
  store.append(rec(samples[1]!, legacyRecordKey({ contentSha256: 'cb', dimension: 'toy', modelHashes: {}, settings: before }), 222));
  const calls: string[] = [];
  const resumed = await score(toy({ previous: true, calls }).create(), store);
  assert.deepEqual([resumed.scoredNow, resumed.reused], [0, 2]);
  assert.deepEqual(resumed.records.map((r) => r.value), [111, 222]);
  // Without previousSettings they would not be found.
  const fresh = await score(toy({ calls }).create(), store);
  assert.deepEqual([fresh.scoredNow, fresh.reused], [2, 0]);
  // A revision drops previousSettings (and changes the key): both are scored again, then reused.
  const revised = toy({ previous: true, revision: 1, calls }).create();
  assert.equal(revised.previousSettings, undefined);
  assert.deepEqual(revised.settings, { scale: 1, revision: 1 });
  assert.deepEqual((await score(revised, store)).scoredNow, 2);
  assert.deepEqual((await score(toy({ previous: true, revision: 1 }).create(), store)).reused, 2);
  store.close();
});

test('run.json: a reworded note resumes, a changed number-changing parameter is refused, an entry written before the split matches its previous settings', () => {
  const prov = (d: Dimension) => evaluationProvenance({ suite: 'vbench', mode: 'custom', promptSet: null, samples: [], expected: {}, models: {}, dimensions: [d], executionProvider: 'cpu', shard: undefined, command: [] });
  const a = toy({ previous: true }).create();
  const entry = dimensionEntry(a);
  assert.deepEqual(Object.keys(entry).sort(), ['models', 'notes', 'previousSettingsSha256', 'scale']);
  const reworded = toy({ previous: true, notes: { how: 'reworded' } }).create({ label: 'z' });
  assert.deepEqual(provenanceConflicts(prov(a), prov(reworded)), []);
  const scaled = toy({ previous: true }).create({ scale: 3 });
  assert.match(provenanceConflicts(prov(a), prov(scaled)).join('\n'), /^dimension toy settings: \{"models":\[\],"scale":1\} vs \{"models":\[\],"scale":3\}$/);
  // An entry as the version before the split wrote it: the whole settings object and models.
  const oldEntry = { how: 'mean of the bytes (old words)', scale: 1, models: [] };
  assert.equal(dimensionEntriesAgree(oldEntry, entry), true);
  assert.equal(dimensionEntriesAgree(entry, oldEntry), true);
  assert.equal(dimensionEntriesAgree({ ...oldEntry, scale: 3 }, entry), false, 'other previous settings');
  assert.equal(dimensionEntriesAgree({ ...oldEntry, models: ['m'] }, entry), false, 'other models');
  assert.equal(dimensionEntriesAgree(oldEntry, dimensionEntry(scaled)), false);
  // A run directory made with the old entry resumes (RunDir.open), and its run.json takes the new entry.
  const dir = mkdtempSync(join(tmpdir(), 'gb-define-run-'));
  const old = prov(a);
  old.dimensions['toy'] = oldEntry;
  const before = new RunDir(dir);
  before.finish(before.open(old));
  const run = new RunDir(dir);
  const merged = run.open(prov(a));
  run.finish(merged);
  assert.deepEqual(merged.dimensions['toy'], entry);
  const refused = new RunDir(dir);
  assert.throws(() => refused.open(prov(scaled)), (e: unknown) => e instanceof GenbenchError && /dimension toy settings/.test(e.message));
});

test('the VBench and GenEval entries of the runs made before the split agree with the entries made now', async () => {
  for (const suite of ['vbench', 'geneval']) {
    const old = JSON.parse(readFileSync(join(FIXTURE, suite, 'run.json'), 'utf8')) as { dimensions: Record<string, Record<string, unknown>> };
    for (const [id, oldEntry] of Object.entries(old.dimensions)) {
      const d =
        suite === 'vbench'
          ? await createVbenchDimensionWithOptions(id, id === 'dynamic_degree' ? { exhaustive: 'true' } : {})
          : createGenevalDimensions([id], { classNames: COCO_CLASS_NAMES, options: { maxObjects: 8 }, color: clipColorSupport({ logits: 'fp32' }) })[0]!;
      assert.equal(dimensionEntriesAgree(oldEntry, dimensionEntry(d)), true, `${suite} ${id}`);
    }
  }
  // The same entries with another parameter value do not.
  const old = JSON.parse(readFileSync(join(FIXTURE, 'vbench', 'run.json'), 'utf8')) as { dimensions: Record<string, Record<string, unknown>> };
  assert.equal(dimensionEntriesAgree(old.dimensions['dynamic_degree']!, dimensionEntry(await createVbenchDimensionWithOptions('dynamic_degree'))), false);
  assert.equal(dimensionEntriesAgree(old.dimensions['background_consistency']!, dimensionEntry(await createVbenchDimensionWithOptions('background_consistency', { cosine: 'fp32' }))), false);
});

test('definitions refuse reserved or doubled names and bad values', () => {
  const base = { id: 'd', suite: 'vbench' as const, models: [], notes: {}, scorer: () => async () => ({ value: 1 }), aggregate: () => 0 };
  assert.throws(() => defineDimension<{ models: string }>({ ...base, params: { models: { default: 'a', help: '', changesNumbers: true } } }), /reserved/);
  assert.throws(() => defineDimension({ ...base, params: {}, inputs: { notes: 1 } }), /reserved/);
  assert.throws(() => defineDimension<{ a: string }>({ ...base, params: { a: { default: 'x', help: '', changesNumbers: true } }, inputs: { a: 1 } }), /both a parameter and an input/);
  assert.throws(() => defineDimension({ ...base, params: {}, revision: 1.5 }), /revision/);
  const d = toy();
  assert.deepEqual(d.parse({ scale: '2.5' }), { scale: 2.5 });
  assert.throws(() => d.parse({ nope: '1' }), (e: unknown) => e instanceof GenbenchError && e.code === 'E_USAGE' && /has no setting "nope"/.test(e.message));
  const withValues = defineDimension<{ mode: 'a' | 'b' }>({ ...base, params: { mode: { values: ['a', 'b'], default: 'a', help: 'pick one', changesNumbers: true } } });
  assert.throws(() => withValues.parse({ mode: 'c' }), (e: unknown) => e instanceof GenbenchError && e.message === "d's mode=c: must be one of a, b" && e.hint === 'pick one');
  assert.throws(() => withValues.create({ nope: 'x' } as never), (e: unknown) => e instanceof GenbenchError && /has no parameter "nope"/.test(e.message));
});
