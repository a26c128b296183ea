import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointFileUrl, fetchRevision, findCheckpoint, NOVA_CHECKPOINTS } from '../../src/generate/nova/checkpoints.ts';
import { decodedFrames, generatorInfo, NOVA_EVAL_DEFAULTS, resolveGenerationSettings } from '../../src/generate/nova/settings.ts';
import { sampleKey } from '../../src/generate/outputs/sample-layouts.ts';
import { isGenbenchError, type ErrorCode } from '../../src/core/errors.ts';

const rejects = (fn: () => unknown, code: ErrorCode, re: RegExp) =>
  assert.throws(fn, (e: unknown) => isGenbenchError(e, code) && re.test((e as Error).message), `expected ${code} ${re}`);

test('catalogue: the five released checkpoints, by id and by repository name', () => {
  assert.deepEqual(NOVA_CHECKPOINTS.map((c) => c.repo), ['BAAI/nova-d48w1024-osp480', 'BAAI/nova-d48w1024-sd512', 'BAAI/nova-d48w768-sdxl1024', 'BAAI/nova-d48w1024-sdxl1024', 'BAAI/nova-d48w1536-sdxl1024']);
  assert.equal(findCheckpoint('nova-d48w1024-osp480').id, 'nova-osp480');
  const osp = findCheckpoint('nova-osp480');
  assert.equal(osp.task, 't2v');
  assert.deepEqual([osp.height, osp.width], [480, 768]);
  assert.equal(findCheckpoint('nova-sdxl1024-w1536').scheduler, 'flow-match-euler');
  for (const c of NOVA_CHECKPOINTS) {
    assert.ok(c.files.some((f) => f.path === 'transformer/diffusion_pytorch_model.safetensors'));
    assert.ok(c.files.every((f) => f.sha256 === null || /^[0-9a-f]{64}$/.test(f.sha256)));
  }
  rejects(() => findCheckpoint('nova-t2i'), 'E_NOT_FOUND', /unknown NOVA checkpoint/);
});

test('revisions: unpinned checkpoints have no revision until resolved (null); explicit commits are checked', () => {
  const c = findCheckpoint('nova-sd512');
  assert.equal(fetchRevision(c), null);
  assert.equal(fetchRevision({ ...c, revision: 'b'.repeat(40) }), 'b'.repeat(40));
  rejects(() => fetchRevision(c, 'main'), 'E_USAGE', /40-hex/);
  const rev = 'a'.repeat(40);
  assert.equal(fetchRevision(c, rev), rev);
  assert.equal(checkpointFileUrl(c, rev, 'vae/config.json'), `https://huggingface.co/BAAI/nova-d48w1024-sd512/resolve/${rev}/vae/config.json`);
  rejects(() => checkpointFileUrl(c, rev, 'text_encoder/*.safetensors'), 'E_USAGE', /pattern/);
  rejects(() => fetchRevision({ ...c, revision: 'b'.repeat(40) }, rev), 'E_USAGE', /pinned/);
});

test('settings: NOVA evaluation defaults per suite (spec §5)', () => {
  const v = resolveGenerationSettings({}, findCheckpoint('nova-osp480'), 'vbench');
  assert.deepEqual(
    [v.seed, v.guidanceScale, v.arSteps, v.diffusionSteps, v.motionFlow, v.latentFrames, v.frames, v.fps, v.samplesPerPrompt, v.promptVariant, v.negativePrompt],
    [1337, 7, 128, 25, 5, 9, 33, 12, 5, 'original', ''],
  );
  const g = resolveGenerationSettings({}, findCheckpoint('nova-sd512'), 'geneval');
  assert.deepEqual([g.latentFrames, g.frames, g.fps, g.samplesPerPrompt, g.motionFlow, g.height, g.width], [1, 1, null, 4, null, 512, 512]);
  assert.equal(resolveGenerationSettings({ promptVariant: 'rewritten', seed: 7 }, findCheckpoint('nova-sdxl1024-w1024'), 'geneval').promptVariant, 'rewritten');
  assert.equal(NOVA_EVAL_DEFAULTS.geneval.samplesPerPrompt, 4);
  assert.equal(sampleKey('geneval', { index: 12, text: 'a photo of a cat' }, 3), 'geneval/00012/3');
  assert.equal(sampleKey('vbench', { index: 12, text: 'a cat' }, 3), 'vbench/51e4674156077982/3', 'sha256("a cat")[:16] (hashlib)');
  assert.equal(sampleKey('vbench', { index: 40, text: 'a cat' }, 3), sampleKey('vbench', { index: 12, text: 'a cat' }, 3), 'VBench keys ignore list position');
  const info = generatorInfo(v, findCheckpoint('nova-osp480'), 'c'.repeat(40), { 'vae/config.json': 'd'.repeat(64) });
  assert.equal(info.id, 'nova:nova-osp480');
  assert.equal((info.seeds as { base: number }).base, 1337);
});

test('settings: out-of-range or inapplicable values are named errors', () => {
  const osp = findCheckpoint('nova-osp480');
  const sd = findCheckpoint('nova-sd512');
  rejects(() => resolveGenerationSettings({ arSteps: 0 }, osp, 'vbench'), 'E_USAGE', /arSteps: AR steps must be ≥ 1/);
  rejects(() => resolveGenerationSettings({ diffusionSteps: 2.5 }, osp, 'vbench'), 'E_USAGE', /diffusionSteps/);
  rejects(() => resolveGenerationSettings({ guidanceScale: -1 }, osp, 'vbench'), 'E_USAGE', /guidanceScale/);
  rejects(() => resolveGenerationSettings({ guidanceRenorm: 0 }, osp, 'vbench'), 'E_USAGE', /guidanceRenorm/);
  rejects(() => resolveGenerationSettings({ promptVariant: 'dense' }, osp, 'vbench'), 'E_USAGE', /original or rewritten/);
  rejects(() => resolveGenerationSettings({ steps: 3 }, osp, 'vbench'), 'E_USAGE', /steps/);
  rejects(() => resolveGenerationSettings({ latentFrames: 7 }, osp, 'vbench'), 'E_USAGE', /drop the last 2/);
  rejects(() => resolveGenerationSettings({}, sd, 'vbench'), 'E_USAGE', /text-to-image/);
  rejects(() => resolveGenerationSettings({ motionFlow: 3 }, sd, 'geneval'), 'E_USAGE', /motion flow/);
  rejects(() => resolveGenerationSettings({ flowShift: 2 }, osp, 'vbench'), 'E_USAGE', /flow shift/);
  rejects(() => resolveGenerationSettings({ latentFrames: 9 }, osp, 'geneval'), 'E_USAGE', /GenEval/);
  assert.deepEqual([1, 2, 5, 9, 13].map(decodedFrames), [1, 5, 17, 33, 49]);
});
