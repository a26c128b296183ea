/**
 * `genbench generate` end to end through the CLI on the tiny random-weight checkpoints of
 * tools/fixtures/nova-checkpoint.ts: official names and layouts, decodable outputs of the expected
 * size/frames/fps, per-sample records and provenance, determinism, resuming, and bad input refused
 * (exit 1) before any graph is built.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { sha256File, sha256Hex } from '../../src/core/hash.ts';
import { countDecodedFrames } from '../../src/media/video-decode.ts';
import { probeVideo } from '../../src/media/video-probe.ts';
import { writeNovaFixtureCheckpoint } from '../../tools/fixtures/nova-checkpoint.ts';
import { runCli } from '../helpers/cli.ts';
import { upstreamPrompts } from '../helpers/upstream-files.ts';

// Pinned upstream prompt files from GENBENCH_TEST_PROMPTS_DIR or the prompt cache (tests/helpers/upstream-files.ts);
// the tests that need them skip, saying which are missing.
const GENEVAL_UP = upstreamPrompts('geneval/prompts/evaluation_metadata.jsonl');
const VBENCH_UP = upstreamPrompts('vbench/vbench/VBench_full_info.json');
const VBENCH_NOVA_UP = upstreamPrompts('vbench/vbench/VBench_full_info.json', 'nova/evaluations/vbench/prompts.json');
const root = mkdtempSync(join(tmpdir(), 'gb-generate-'));
const T2V = join(root, 'ckpt-t2v');
const T2I = join(root, 'ckpt-t2i');
writeNovaFixtureCheckpoint(T2V, { task: 't2v' });
writeNovaFixtureCheckpoint(T2I, { task: 't2i' });
const env = { GENBENCH_HOME: join(root, 'home') };
after(() => rmSync(root, { recursive: true, force: true }));
const FAST = ['--steps', '4', '--diffusion-steps', '3', '--threads', '1', '--quiet'];

const readRecords = (out: string) => readFileSync(join(out, 'genbench/samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const graphFiles = (dir: string) => ['transformer', 'vae', 'text_encoder'].flatMap((d) => (existsSync(join(dir, d)) ? readdirSync(join(dir, d)) : []).filter((f) => f.endsWith('.onnx')));

test('fixture checkpoint: HF layout, deterministic, small', () => {
  const again = join(root, 'again');
  const files = writeNovaFixtureCheckpoint(again, { task: 't2v' });
  assert.deepEqual(files.filter((f) => f.endsWith('.json')).sort(), ['model_index.json', 'scheduler/scheduler_config.json', 'text_encoder/config.json', 'tokenizer/tokenizer.json', 'tokenizer/tokenizer_config.json', 'transformer/config.json', 'vae/config.json']);
  let bytes = 0;
  for (const f of files) {
    assert.deepEqual(readFileSync(join(again, f)), readFileSync(join(T2V, f)), `${f} is the same for the same seed`);
    bytes += statSync(join(again, f)).size;
  }
  assert.ok(bytes < 4e6, `${bytes} bytes`);
  const other = join(root, 'other-seed');
  writeNovaFixtureCheckpoint(other, { task: 't2v', seed: 7 });
  assert.notDeepEqual(readFileSync(join(other, 'transformer/diffusion_pytorch_model.safetensors')), readFileSync(join(T2V, 'transformer/diffusion_pytorch_model.safetensors')));
});

test('video from one prompt: {prompt}-{i}.mp4 with 1 + 4(T − 1) frames at 12 fps, records, provenance, same seed → same bytes, re-run → nothing redone', async () => {
  const prompt = 'a red fox runs through the snow';
  const out = join(root, 'video-a');
  const args = ['generate', '--checkpoint-dir', T2V, '--prompt', prompt, '--frames', '2', ...FAST, '--json'];
  const r = runCli([...args, '--out', out], env);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.generated, 1);
  assert.equal(summary.planned, 1);
  const file = join(out, `${prompt}-0.mp4`);
  const probe = await probeVideo(file);
  assert.equal(probe.width, 96);
  assert.equal(probe.height, 64);
  assert.equal(probe.fps, 12);
  assert.equal(await countDecodedFrames(file), 5, '2 latent frames → 5 frames through the causal VAE');

  const [rec, ...rest] = readRecords(out);
  assert.equal(rest.length, 0);
  assert.equal(rec.file, `${prompt}-0.mp4`);
  assert.equal(rec.sha256, await sha256File(file));
  assert.equal(rec.sampleKey, `prompt/${sha256Hex(prompt).slice(0, 16)}/0`);
  assert.equal(rec.promptVariant, 'original');
  assert.equal(rec.promptUsed, prompt);
  // The fixture tokenizer has no merges: one token per UTF-8 byte.
  assert.equal(rec.promptTokens, Buffer.byteLength(prompt));
  assert.equal(rec.promptTruncated, false);
  assert.equal(rec.rng.seed, 1337);
  assert.deepEqual(
    { arSteps: rec.settings.arSteps, diffusionSteps: rec.settings.diffusionSteps, latentFrames: rec.settings.latentFrames, frames: rec.settings.frames, fps: rec.settings.fps, guidance: rec.settings.guidanceScale, motionFlow: rec.settings.motionFlow, height: rec.settings.height, width: rec.settings.width },
    { arSteps: 4, diffusionSteps: 3, latentFrames: 2, frames: 5, fps: 12, guidance: 7, motionFlow: 5, height: 64, width: 96 },
  );
  assert.equal(rec.checkpoint.revision, 'local');
  assert.equal(rec.checkpoint.files['transformer/diffusion_pytorch_model.safetensors'], await sha256File(join(T2V, 'transformer/diffusion_pytorch_model.safetensors')));
  assert.equal(rec.checkpoint.files['tokenizer/tokenizer.json'], await sha256File(join(T2V, 'tokenizer/tokenizer.json')));
  assert.equal(rec.timings.batchSize, 1);
  const prov = JSON.parse(readFileSync(join(out, 'genbench/generation.json'), 'utf8'));
  assert.equal(prov.generator.id, 'nova:local');
  assert.equal(prov.generator.settings.seed, 1337);
  assert.deepEqual(prov.checkpointFiles, rec.checkpoint.files);
  assert.deepEqual(prov.samples, { planned: 1, generatedThisRun: 1, presentBefore: 0 });
  assert.ok(prov.finishedAt);

  // Same seed elsewhere: identical bytes; another seed: other bytes.
  const outB = join(root, 'video-b');
  assert.equal(runCli([...args, '--out', outB], env).code, 0);
  assert.deepEqual(readFileSync(join(outB, `${prompt}-0.mp4`)), readFileSync(file));
  assert.equal(rec.timings.textCached, false);
  assert.equal(readRecords(outB)[0].timings.textCached, true, 'the prompt features came from the embedding cache');
  const outC = join(root, 'video-c');
  assert.equal(runCli([...args, '--seed', '1', '--out', outC], env).code, 0);
  assert.notDeepEqual(readFileSync(join(outC, `${prompt}-0.mp4`)), readFileSync(file));

  // Re-run: nothing regenerated, the file untouched, no new record.
  const before = statSync(file).mtimeMs;
  const again = runCli([...args, '--out', out], env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).generated, 0);
  assert.equal(JSON.parse(again.stdout).skipped, 1);
  assert.equal(statSync(file).mtimeMs, before);
  assert.equal(readRecords(out).length, 1);

  // A second sample index: only the new one is generated, and sample 0 is unchanged.
  const sample0 = readFileSync(join(outB, `${prompt}-0.mp4`));
  const more = runCli([...args, '--samples', '2', '--out', outB], env);
  assert.equal(more.code, 0, more.stderr);
  assert.deepEqual([JSON.parse(more.stdout).generated, JSON.parse(more.stdout).skipped], [1, 1]);
  assert.deepEqual(readFileSync(join(outB, `${prompt}-0.mp4`)), sample0);
  assert.notDeepEqual(readFileSync(join(outB, `${prompt}-1.mp4`)), sample0);
  // Another configuration in the same folder is refused.
  const other = runCli([...args, '--guidance', '3', '--out', outB], env);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /already holds samples made with other settings: settings\.guidanceScale: 7 here, 3 requested/);
});

test('over-long prompts are truncated at text_token_len and the record says so', () => {
  const prompt = 'an extremely long and detailed description of a lighthouse on a cliff at dusk';
  const out = join(root, 'long');
  const r = runCli(['generate', '--checkpoint-dir', T2V, '--prompt', prompt, '--frames', '1', ...FAST, '--out', out], env);
  assert.equal(r.code, 0, r.stderr);
  const [rec] = readRecords(out);
  assert.ok(Buffer.byteLength(prompt) > 32);
  assert.equal(rec.promptTokens, 32);
  assert.equal(rec.promptTruncated, true);
  assert.ok(existsSync(join(out, `${prompt}-0.png`)), 'one latent frame from a video checkpoint is an image');
});

test('GenEval layout from the image checkpoint: NNNNN/metadata.jsonl (the official line) and samples/NNNNN.png', { skip: GENEVAL_UP.skip }, async () => {
  const UPSTREAM = GENEVAL_UP.dir!;
  const out = join(root, 'geneval');
  const r = runCli(['generate', '--checkpoint-dir', T2I, '--suite', 'geneval', '--limit', '1', '--prompts-dir', UPSTREAM, ...FAST, '--json', '--out', out], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).generated, 4);
  const line0 = readFileSync(join(UPSTREAM, 'geneval/prompts/evaluation_metadata.jsonl'), 'utf8').split('\n')[0]!;
  assert.equal(readFileSync(join(out, '00000/metadata.jsonl'), 'utf8'), line0);
  assert.deepEqual(readdirSync(join(out, '00000/samples')).sort(), ['00000.png', '00001.png', '00002.png', '00003.png']);
  const images = [];
  for (let j = 0; j < 4; j++) {
    const m = await sharp(join(out, `00000/samples/0000${j}.png`)).metadata();
    assert.deepEqual([m.width, m.height, m.channels], [96, 64, 3]);
    images.push(readFileSync(join(out, `00000/samples/0000${j}.png`)));
  }
  assert.notDeepEqual(images[0], images[1], 'each sample index has its own noise');
  const recs = readRecords(out);
  assert.deepEqual(recs.map((x) => x.sampleKey), [0, 1, 2, 3].map((j) => `geneval/00000/${j}`));
  assert.equal(recs[0].prompt, JSON.parse(line0).prompt);
  assert.equal(recs[0].settings.suite, 'geneval');
  assert.equal(recs[0].settings.fps, null);
});

test('bad input: exit 1 with a named error before any graph is built', () => {
  const fresh = join(root, 'fresh');
  writeNovaFixtureCheckpoint(fresh, { task: 't2v' });
  const base = ['generate', '--checkpoint-dir', fresh, '--prompt', 'x', ...FAST];
  const cases: [string[], RegExp][] = [
    [['--guidance', '60'], /guidance scale must be ≤ 50/],
    [['--frames', '7'], /7 latent frames: the video VAE decodes tiles of 5/],
    [['--steps', '0'], /AR steps must be ≥ 1/],
    [['--prompt-variant', 'rewritten'], /rewritten needs a benchmark prompt set/],
  ];
  for (const [extra, message] of cases) {
    const out = join(root, `bad-${extra.join('')}`);
    const r = runCli([...base, ...extra, '--out', out], env);
    assert.equal(r.code, 1, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(existsSync(out), false, 'nothing written');
  }
  const vbenchFromImages = runCli(['generate', '--checkpoint-dir', T2I, '--suite', 'vbench', '--out', join(root, 'bad-v')], env);
  assert.equal(vbenchFromImages.code, 1);
  assert.match(vbenchFromImages.stderr, /text-to-image checkpoint; VBench needs videos/);
  const unknown = runCli(['generate', '--model', 'nova-nope', '--prompt', 'x', '--out', join(root, 'bad-u')], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown NOVA checkpoint "nova-nope"[\s\S]*nova-osp480, nova-sd512/);
  // No --revision and the Hub unreachable: the current commit cannot be resolved; the error says how to pass one.
  const unpinned = runCli(['generate', '--model', 'nova-sd512', '--prompt', 'x', '--out', join(root, 'bad-p')], { ...env, HF_ENDPOINT: 'http://127.0.0.1:1' });
  assert.equal(unpinned.code, 1);
  assert.match(unpinned.stderr, /cannot resolve the current revision of BAAI\/nova-d48w1024-sd512[\s\S]*--revision COMMIT/);
  assert.equal(existsSync(join(root, 'bad-p')), false, 'nothing written');
  // An unsupported config field is named.
  const cfgPath = join(fresh, 'transformer/config.json');
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  writeFileSync(cfgPath, JSON.stringify({ ...cfg, qk_norm: true }));
  const badCfg = runCli([...base, '--out', join(root, 'bad-c')], env);
  assert.equal(badCfg.code, 1);
  assert.match(badCfg.stderr, /transformer\/config\.json: unsupported fields: qk_norm/);
  assert.deepEqual(graphFiles(fresh), [], 'no graph was built');
});

test('bench --model nova-…: generates the missing videos into RUN/samples with NOVA\'s settings, then scores them (standard names)', { skip: VBENCH_UP.skip }, () => {
  const UPSTREAM = VBENCH_UP.dir!;
  const run = join(root, 'bench-run');
  const args = ['bench', '--suite', 'vbench', '--model', 'nova-osp480', '--checkpoint-dir', T2V, '--limit', '1', '--dimensions', 'temporal_flickering', '--prompts-dir', UPSTREAM, '--threads', '1', '--quiet', '--json', '--out', run];
  const r = runCli(args, env);
  assert.equal(r.code, 0, r.stderr);
  const vids = readdirSync(join(run, 'samples')).filter((f) => f.endsWith('.mp4'));
  assert.equal(vids.length, 5, 'five videos per VBench prompt');
  const rec = readRecords(join(run, 'samples'))[0];
  assert.deepEqual([rec.settings.latentFrames, rec.settings.frames, rec.settings.arSteps, rec.settings.diffusionSteps, rec.checkpoint.id], [9, 33, 128, 25, 'nova-osp480']);
  const scores = JSON.parse(r.stdout);
  assert.equal(scores.dimensions.temporal_flickering.samples, 5);
  // The evaluation's provenance names the generator that made the videos, as the generation recorded it.
  const evalProv = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
  const genProv = JSON.parse(readFileSync(join(run, 'samples', 'genbench', 'generation.json'), 'utf8'));
  assert.ok(evalProv.generator, 'run.json has the generator');
  assert.deepEqual(evalProv.generator, genProv.generator);
  // Again: nothing generated, nothing re-scored.
  const again = runCli(args, env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readRecords(join(run, 'samples')).length, 5);
});

test('VBench prompts in VBench_full_info order; --shard splits them and gives the same bytes as one run; rewritten prompts recorded', { skip: VBENCH_NOVA_UP.skip }, () => {
  const UPSTREAM = VBENCH_NOVA_UP.dir!;
  const info = JSON.parse(readFileSync(join(UPSTREAM, 'vbench/vbench/VBench_full_info.json'), 'utf8')) as { prompt_en: string }[];
  const distinct = [...new Set(info.map((e) => e.prompt_en))].slice(0, 4);
  const args = ['generate', '--checkpoint-dir', T2V, '--suite', 'vbench', '--limit', '4', '--samples', '1', '--frames', '2', '--prompts-dir', UPSTREAM, ...FAST];
  const whole = join(root, 'vb-whole');
  assert.equal(runCli([...args, '--out', whole], env).code, 0);
  assert.deepEqual(readdirSync(whole).filter((f) => f.endsWith('.mp4')).sort(), distinct.map((p) => `${p}-0.mp4`).sort());
  assert.deepEqual(readRecords(whole).map((r) => [r.promptIndex, r.prompt]), distinct.map((p, i) => [i, p]));
  const shards = [1, 2].map((i) => {
    const out = join(root, `vb-shard-${i}`);
    const r = runCli([...args, '--shard', `${i}/2`, '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    return readdirSync(out).filter((f) => f.endsWith('.mp4')).map((f) => ({ f, bytes: readFileSync(join(out, f)) }));
  });
  const names = shards.flat().map((s) => s.f);
  assert.equal(new Set(names).size, names.length, 'shards are disjoint');
  assert.deepEqual(names.sort(), distinct.map((p) => `${p}-0.mp4`).sort(), 'and cover the set');
  for (const s of shards.flat()) assert.deepEqual(s.bytes, readFileSync(join(whole, s.f)), `${s.f}: same bytes whatever the shard`);

  const nova = JSON.parse(readFileSync(join(UPSTREAM, 'nova/evaluations/vbench/prompts.json'), 'utf8')) as { prompt: string; dense_prompt: string }[];
  const rewritten = join(root, 'vb-rewritten');
  const r = runCli([...args, '--limit', '1', '--prompt-variant', 'rewritten', '--out', rewritten], env);
  assert.equal(r.code, 0, r.stderr);
  const [rec] = readRecords(rewritten);
  assert.equal(rec.prompt, distinct[0]);
  assert.equal(rec.promptVariant, 'rewritten');
  assert.equal(rec.promptUsed, nova.find((e) => e.prompt === distinct[0])!.dense_prompt);
  assert.equal(rec.promptTruncated, Buffer.byteLength(rec.promptUsed) > 32);
  assert.equal(rec.sampleKey, readRecords(whole)[0].sampleKey, 'the variants of a sample share its noise streams');
  assert.ok(existsSync(join(rewritten, `${distinct[0]}-0.mp4`)), 'named after the benchmark prompt');
});
