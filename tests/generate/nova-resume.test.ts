/**
 * NOVA generation records after interruptions (src/generate/outputs/sample-records.ts through
 * runGeneration with NOVA): whatever was killed or deleted, OUT/genbench/samples.jsonl ends with exactly
 * one record per sample file on disk, naming that file's bytes. And the text encoder cuts prompts
 * at the checkpoint's own text_token_len (openNovaNetworks).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../../src/core/hash.ts';
import type { Progress } from '../../src/core/progress.ts';
import { runGeneration } from '../../src/generate/generation-run.ts';
import { novaGenerator } from '../../src/generate/nova/generator.ts';
import { openNovaNetworks } from '../../src/generate/nova/networks/ort-networks.ts';
import { writeNovaFixtureCheckpoint } from '../../tools/fixtures/nova-checkpoint.ts';

const root = mkdtempSync(join(tmpdir(), 'gb-nova-resume-'));
process.env.GENBENCH_HOME = join(root, 'home');
after(() => rmSync(root, { recursive: true, force: true }));
const CKPT = join(root, 'ckpt');
writeNovaFixtureCheckpoint(CKPT, { task: 't2i' });

const PROMPT = 'a blue bird on a branch';
const logs: string[] = [];
const progress: Progress = { start() {}, tick() {}, stop() {}, log: (l) => void logs.push(l) };

function generate(out: string) {
  return runGeneration({
    generator: novaGenerator,
    checkpointDir: CKPT,
    prompt: PROMPT,
    out,
    threads: 1,
    settings: { arSteps: 2, diffusionSteps: 2, samplesPerPrompt: 3 },
    progress,
  });
}

const recordsPath = (out: string) => join(out, 'genbench/samples.jsonl');
const records = (out: string): { file: string; sha256: string }[] =>
  readFileSync(recordsPath(out), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
const pngs = (out: string) => readdirSync(out).filter((f) => f.endsWith('.png')).sort();

/** The invariant: one record per file on disk, each naming the file's current sha256, and no other record. */
async function assertOneRecordPerFile(out: string): Promise<void> {
  const recs = records(out);
  assert.deepEqual(recs.map((r) => r.file).sort(), pngs(out), 'one record per file, no record without a file');
  for (const r of recs) assert.equal(r.sha256, await sha256File(join(out, r.file)), `${r.file}: the record names the file's bytes`);
}

test('resume: a file whose record a kill lost, a deleted file, a replaced file and a torn last line all end as one record per file', async () => {
  const out = join(root, 'out');
  const first = await generate(out);
  assert.equal(first.generated, 3);
  const files = pngs(out);
  assert.deepEqual(files, [0, 1, 2].map((i) => `${PROMPT}-${i}.png`));
  const original = Object.fromEntries(await Promise.all(files.map(async (f) => [f, await sha256File(join(out, f))] as const)));
  await assertOneRecordPerFile(out);

  // Killed after sample 2's file was renamed into place, before its record was appended.
  const lines = readFileSync(recordsPath(out), 'utf8').split('\n').filter((l) => l !== '');
  writeFileSync(recordsPath(out), lines.filter((l) => JSON.parse(l).file !== files[2]).map((l) => `${l}\n`).join(''));
  const r1 = await generate(out);
  assert.equal(r1.generated, 1, 'the unrecorded file is generated again (not counted as done)');
  await assertOneRecordPerFile(out);
  assert.equal(await sha256File(join(out, files[2]!)), original[files[2]!], 'deterministic: the same bytes again');

  // A deleted file: generated again, and its old record replaced (not a second one).
  rmSync(join(out, files[0]!));
  const r2 = await generate(out);
  assert.equal(r2.generated, 1);
  await assertOneRecordPerFile(out);
  assert.equal(records(out).length, 3);

  // A file replaced by other bytes: its record no longer matches, so it is generated again.
  writeFileSync(join(out, files[1]!), readFileSync(join(out, files[2]!)));
  const r3 = await generate(out);
  assert.equal(r3.generated, 1);
  await assertOneRecordPerFile(out);
  assert.equal(await sha256File(join(out, files[1]!)), original[files[1]!]);

  // A torn last line (killed mid-append): dropped; nothing else redone.
  appendFileSync(recordsPath(out), '{"schema":1,"file":"a blue b');
  logs.length = 0;
  const r4 = await generate(out);
  assert.equal(r4.generated, 0);
  assert.equal(r4.skipped, 3);
  await assertOneRecordPerFile(out);
  assert.ok(readFileSync(recordsPath(out), 'utf8').endsWith('}\n'));
  assert.ok(logs.some((l) => /samples\.jsonl: dropped 1 damaged line/.test(l)), logs.join('\n'));

  // Duplicate records of one file (an older version's rerun appended a second): one is kept.
  appendFileSync(recordsPath(out), `${readFileSync(recordsPath(out), 'utf8').split('\n')[0]}\n`);
  const r5 = await generate(out);
  assert.equal(r5.generated, 0);
  await assertOneRecordPerFile(out);
});

test('the text encoder cuts prompts at the checkpoint\'s text_token_len, not at 256', async () => {
  const dir = join(root, 'ckpt-len8');
  writeNovaFixtureCheckpoint(dir, { task: 't2i' });
  const cfgPath = join(dir, 'transformer/config.json');
  writeFileSync(cfgPath, JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, 'utf8')), text_token_len: 8 }));
  const net = await openNovaNetworks({ transformer: join(dir, 'transformer'), textEncoder: join(dir, 'text_encoder'), tokenizer: join(dir, 'tokenizer') }, { threads: 1 });
  // The fixture tokenizer has one token per UTF-8 byte.
  const [long, short] = await net.encodeText(['a prompt of more than eight bytes', 'a cat']);
  assert.equal(long!.length, 8);
  assert.equal(long!.truncated, true);
  assert.equal(long!.features.length, 8 * 24);
  assert.equal(short!.length, 5);
  assert.equal(short!.truncated, false);
  // Features fit the transformer's text buffer of 8 tokens.
  assert.equal(net.textBuffer([long!]).length, 8 * 24);
});
