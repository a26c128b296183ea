/**
 * The generic generation run (src/generate/generation-run.ts) with a stand-in generator that
 * follows the contract (src/generate/contract.ts) without any model: the stages run in order and
 * only when needed (nothing opened when every sample is there, nothing started when no sample is
 * missing), the suite's layout names the files, records and generation.json carry the generic
 * fields around the generator's own, and the folder refuses another configuration. Also the
 * registry (src/generate/registry.ts): which entry a `--model` value resolves to.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import sharp from 'sharp';
import { isGenbenchError } from '../../src/core/errors.ts';
import { sha256File, sha256Hex } from '../../src/core/hash.ts';
import { silentProgress } from '../../src/core/progress.ts';
import type { Generator, PromptBatch } from '../../src/generate/contract.ts';
import { runGeneration } from '../../src/generate/generation-run.ts';
import { SAMPLE_LAYOUTS } from '../../src/generate/outputs/sample-layouts.ts';
import { DEFAULT_GENERATOR, findModel, MODEL_ENTRIES } from '../../src/generate/registry.ts';
import { BENCHMARK_SUITES, PROMPT_SETS } from '../../src/prompts/prompt-sets.ts';
import { upstreamPrompts } from '../helpers/upstream-files.ts';

const GENEVAL_UP = upstreamPrompts('geneval/prompts/evaluation_metadata.jsonl');
const VBENCH_UP = upstreamPrompts('vbench/vbench/VBench_full_info.json');
const root = mkdtempSync(join(tmpdir(), 'gb-generation-run-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Calls { prepare: number; identify: unknown[]; open: number; start: number; batches: PromptBatch[] }

/** A 4×2 image generator whose pixels are the first bytes of sha256(key); settings: { level, samples }. */
function fakeGenerator(opts: { media?: 'image' | 'video'; files?: string } = {}): { generator: Generator; calls: Calls } {
  const calls: Calls = { prepare: 0, identify: [], open: 0, start: 0, batches: [] };
  const schema = z.strictObject({ level: z.number().int().optional(), samples: z.number().int().optional() });
  const generator: Generator = {
    id: 'fake',
    describe: 'test stand-in',
    settingsSchema: schema,
    async prepare(_request, input) {
      calls.prepare += 1;
      const s = schema.parse(input);
      const settings = { level: s.level ?? 1 };
      return {
        samplesPerPrompt: s.samples ?? 2,
        promptVariant: 'original',
        media: opts.media ?? 'image',
        async identify(previous) {
          calls.identify.push(previous ? previous.record.identity : null);
          return {
            model: { id: 'fake-model', revision: 'r1', dir: '' },
            identity: { model: { id: 'fake-model' }, settings },
            async open() {
              calls.open += 1;
              return {
                dir: '/fake',
                info: { id: 'fake:fake-model', settings },
                provenance: { fakeFiles: opts.files ?? 'A' },
                conflicts: (prev) => (prev.fakeFiles !== undefined && prev.fakeFiles !== (opts.files ?? 'A') ? ['fake files differ'] : []),
                async start() {
                  calls.start += 1;
                  return {
                    async generate(batch) {
                      calls.batches.push(batch);
                      return {
                        samples: batch.samples.map((r) => ({
                          media: { kind: 'image', rgb: Uint8Array.from(Buffer.from(sha256Hex(r.key), 'hex').subarray(0, 24)), width: 4, height: 2 },
                          record: { level: settings.level, key: r.key },
                        })),
                        batchMs: 10,
                        timings: { fakeMs: 1 },
                      };
                    },
                  };
                },
              };
            },
          };
        },
      };
    },
  };
  return { generator, calls };
}

const records = (out: string) => readFileSync(join(out, 'genbench/samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('one prompt: {prompt}-{i}.png from the generator\'s pixels; records and generation.json put the generator\'s fields among the generic ones', async () => {
  const out = join(root, 'one');
  const { generator, calls } = fakeGenerator();
  const r = await runGeneration({ generator, prompt: 'a cat', out, progress: silentProgress(), settings: { level: 3 }, command: ['x'] });
  assert.deepEqual([r.planned, r.generated, r.skipped, r.suite, r.checkpoint], [2, 2, 0, 'prompt', { id: 'fake-model', revision: 'r1', dir: '/fake' }]);
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.png')).sort(), ['a cat-0.png', 'a cat-1.png']);
  const px = await sharp(join(out, 'a cat-1.png')).raw().toBuffer();
  assert.deepEqual([...px], [...Buffer.from(sha256Hex('prompt/' + sha256Hex('a cat').slice(0, 16) + '/1'), 'hex').subarray(0, 24)], 'the pixels of sample 1, keyed prompt/sha256(text)[:16]/1');
  const [r0, r1] = records(out);
  assert.deepEqual(Object.keys(r1), ['schema', 'file', 'sha256', 'sampleKey', 'promptIndex', 'sampleIndex', 'prompt', 'promptVariant', 'promptUsed', 'level', 'key', 'executionProvider', 'createdAt', 'timings']);
  assert.deepEqual([r1.file, r1.sampleIndex, r1.prompt, r1.promptUsed, r1.level, r1.executionProvider], ['a cat-1.png', 1, 'a cat', 'a cat', 3, 'cpu']);
  assert.equal(r1.sha256, await sha256File(join(out, 'a cat-1.png')));
  assert.equal(r0.sampleKey, r0.key, 'the generator got the key the record names');
  assert.deepEqual(Object.keys(r1.timings), ['fakeMs', 'batchMs', 'batchSize', 'writeMs', 'sampleMs']);
  assert.deepEqual([r1.timings.batchMs, r1.timings.batchSize], [10, 2]);
  const prov = JSON.parse(readFileSync(join(out, 'genbench/generation.json'), 'utf8'));
  assert.deepEqual(Object.keys(prov), ['schema', 'tool', 'identity', 'generator', 'fakeFiles', 'promptSets', 'limit', 'shard', 'samples', 'executionProvider', 'host', 'command', 'startedAt', 'finishedAt']);
  assert.deepEqual(prov.identity, { suite: 'prompt', model: { id: 'fake-model' }, settings: { level: 3 }, prompts: [] });
  assert.deepEqual(prov.generator, { id: 'fake:fake-model', settings: { level: 3 } });
  assert.deepEqual(prov.samples, { planned: 2, generatedThisRun: 2, presentBefore: 0 });
  assert.deepEqual([calls.prepare, calls.identify, calls.open, calls.start, calls.batches.length], [1, [null], 1, 1, 1]);

  // Everything there: identified against the recorded folder, but neither opened nor started.
  const again = fakeGenerator();
  const r2 = await runGeneration({ generator: again.generator, prompt: 'a cat', out, progress: silentProgress(), settings: { level: 3 } });
  assert.deepEqual([r2.generated, r2.skipped, r2.checkpoint.dir], [0, 2, '']);
  assert.deepEqual(again.calls.identify, [prov.identity]);
  assert.deepEqual([again.calls.open, again.calls.start], [0, 0]);

  // One more sample per prompt: opened and started, one batch of the missing sample only.
  const more = fakeGenerator();
  const r3 = await runGeneration({ generator: more.generator, prompt: 'a cat', out, progress: silentProgress(), settings: { level: 3, samples: 3 } });
  assert.deepEqual([r3.generated, r3.skipped], [1, 2]);
  assert.deepEqual(more.calls.batches.map((b) => b.samples.map((s) => s.sampleIndex)), [[2]]);
  assert.equal(records(out).length, 3);

  // Another setting, or other model files, in this folder: refused, naming the difference.
  await assert.rejects(runGeneration({ generator: fakeGenerator().generator, prompt: 'a cat', out, progress: silentProgress(), settings: { level: 4, samples: 4 } }),
    (e: unknown) => isGenbenchError(e, 'E_USAGE') && /settings\.level: 3 here, 4 requested/.test(e.message));
  await assert.rejects(runGeneration({ generator: fakeGenerator({ files: 'B' }).generator, prompt: 'a cat', out, progress: silentProgress(), settings: { level: 3, samples: 4 } }),
    (e: unknown) => isGenbenchError(e, 'E_USAGE') && /fake files differ/.test(e.message));
});

test('GenEval layout from the table: NNNNN/metadata.jsonl (the official line) and NNNNN/samples/NNNNN.png, keys by index, the samples note', { skip: GENEVAL_UP.skip }, async () => {
  const out = join(root, 'geneval');
  const { generator } = fakeGenerator();
  const logs: string[] = [];
  const r = await runGeneration({ generator, suite: 'geneval', limit: 2, promptsDir: GENEVAL_UP.dir, out, progress: { ...silentProgress(), log: (l) => void logs.push(l) } });
  assert.equal(r.generated, 4);
  assert.deepEqual(readdirSync(join(out, '00001', 'samples')).sort(), ['00000.png', '00001.png']);
  const line1 = readFileSync(join(GENEVAL_UP.dir!, 'geneval/prompts/evaluation_metadata.jsonl'), 'utf8').split('\n')[1]!;
  assert.equal(readFileSync(join(out, '00001/metadata.jsonl'), 'utf8'), line1);
  assert.deepEqual(records(out).map((x) => x.sampleKey), ['geneval/00000/0', 'geneval/00000/1', 'geneval/00001/0', 'geneval/00001/1']);
  assert.deepEqual(logs, ['note: GenEval scores 4 images per prompt; generating 2']);
});

test('a suite that scores videos refuses a generator that makes images, before anything is identified', { skip: VBENCH_UP.skip }, async () => {
  const { generator, calls } = fakeGenerator({ media: 'image' });
  await assert.rejects(runGeneration({ generator, suite: 'vbench', limit: 1, promptsDir: VBENCH_UP.dir, out: join(root, 'vb'), progress: silentProgress() }),
    (e: unknown) => isGenbenchError(e, 'E_USAGE') && /--suite vbench scores videos; fake makes images/.test(e.message));
  assert.deepEqual(calls.identify, []);
});

test('every prompt set has a sample layout and the other way round; --suite offers the benchmark ones', () => {
  assert.deepEqual(Object.keys(SAMPLE_LAYOUTS).sort(), Object.keys(PROMPT_SETS).sort());
  assert.deepEqual(BENCHMARK_SUITES, ['vbench', 'geneval']);
});

test('registry: --model values resolve to NOVA, a samples folder or the planned external command; others to none', async () => {
  assert.equal(findModel('nova-osp480')?.id, 'nova');
  assert.equal(findModel('nova-d48w1024-sd512')?.id, 'nova');
  const folder = findModel('folder:./my videos');
  assert.equal(folder?.kind, 'folder');
  assert.equal(folder?.kind === 'folder' && folder.samplesDir('folder:./my videos'), './my videos');
  const cmd = findModel('cmd:./gen.sh --fast');
  assert.equal(cmd?.kind === 'generator' && cmd.planned, 'external-command generators');
  if (cmd?.kind === 'generator') await assert.rejects(cmd.load(), (e: unknown) => isGenbenchError(e, 'E_NOT_IMPLEMENTED'));
  assert.equal(findModel('foo'), null);
  assert.equal(findModel('my-nova-osp480'), null);
  assert.equal(DEFAULT_GENERATOR.id, 'nova');
  assert.equal(new Set(MODEL_ENTRIES.map((e) => e.id)).size, MODEL_ENTRIES.length, 'ids are unique');
  const nova = await DEFAULT_GENERATOR.load();
  assert.equal(nova.id, 'nova');
  assert.ok(!nova.settingsSchema.safeParse({ guidanceScale: 60 }).success, 'NOVA\'s schema bounds its settings');
});
