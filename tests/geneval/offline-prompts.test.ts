import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../src/core/hash.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { resolvePromptFile } from '../../src/prompts/prompt-files.ts';
import { COCO_CLASS_NAMES } from '../../src/suites/geneval/coco-class-names.ts';
import { genevalPromptsFromFolders, listGenevalSamples, loadGenevalPromptSource } from '../../src/suites/geneval/samples.ts';

const METADATA = 'geneval/prompts/evaluation_metadata.jsonl';
const CLASSES = 'geneval/evaluation/object_names.txt';

/** Two prompt folders of one's own in GenEval's layout (indices 0 and 3), one image each. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gb-geneval-offline-'));
  const put = (i: number, m: object): void => {
    const d = join(dir, String(i).padStart(5, '0'));
    mkdirSync(join(d, 'samples'), { recursive: true });
    writeFileSync(join(d, 'metadata.jsonl'), `${JSON.stringify(m)}\n`);
    writeFileSync(join(d, 'samples', '00000.png'), 'x');
  };
  put(0, { tag: 'single_object', include: [{ class: 'cup', count: 1 }], prompt: 'a photo of a cup' });
  put(3, { tag: 'colors', include: [{ class: 'car', count: 1, color: 'green' }], prompt: 'a photo of a green car' });
  return dir;
}

/** Run `fn` with the network gone: every fetch fails as it does offline, and an empty prompt cache. */
async function offline<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { fetch: globalThis.fetch, home: process.env.GENBENCH_HOME };
  globalThis.fetch = (async () => {
    throw new TypeError('fetch failed (getaddrinfo ENOTFOUND raw.githubusercontent.com)');
  }) as typeof fetch;
  process.env.GENBENCH_HOME = mkdtempSync(join(tmpdir(), 'gb-home-'));
  try {
    return await fn();
  } finally {
    globalThis.fetch = saved.fetch;
    if (saved.home === undefined) delete process.env.GENBENCH_HOME;
    else process.env.GENBENCH_HOME = saved.home;
  }
}

test('the built-in COCO class list is byte for byte the pinned object_names.txt (same sha256 as the manifest)', () => {
  assert.equal(COCO_CLASS_NAMES.length, 80);
  assert.equal(sha256Hex(Buffer.from(`${COCO_CLASS_NAMES.join('\n')}\n`)), resolvePromptFile(CLASSES).sha256);
});

test('folder metadata: each prompt folder\'s metadata.jsonl at its index, holes elsewhere', () => {
  const prompts = genevalPromptsFromFolders(folder(), 5);
  assert.equal(prompts.length, 5);
  assert.deepEqual(prompts.map((p) => p?.prompt ?? null), ['a photo of a cup', null, null, 'a photo of a green car', null]);
});

test('offline, no --prompts-dir: scored from folder metadata with a warning and promptCheck "skipped (…)"; not an uncaught error', async () => {
  const dir = folder();
  const logged: string[] = [];
  const source = await offline(() => loadGenevalPromptSource({ imagesDir: dir, log: (l) => logged.push(l), metadataFile: METADATA, classesFile: CLASSES }));
  assert.match(source.promptSet.promptCheck ?? '', /^skipped \(the pinned geneval\/prompts\/evaluation_metadata\.jsonl is not cached and could not be downloaded/);
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /^warning: .*checks against the pinned prompts are skipped/);
  assert.deepEqual(source.classNames, [...COCO_CLASS_NAMES]);
  assert.equal(source.prompts.length, resolvePromptFile(METADATA).count, 'coverage is still counted against the pinned set\'s size');
  const listing = listGenevalSamples({ imagesDir: dir, prompts: source.prompts, classes: source.classNames });
  assert.deepEqual(listing.problems, []);
  assert.deepEqual(listing.samples.map((s) => [s.id, s.metadata.prompt]), [['00000/samples/00000.png', 'a photo of a cup'], ['00003/samples/00000.png', 'a photo of a green car']]);
});

test('--folder-prompts: no pinned prompts read at all; a set of one\'s own as long as its folders', async () => {
  const dir = folder();
  const logged: string[] = [];
  const source = await offline(() => loadGenevalPromptSource({ imagesDir: dir, fromFolders: true, log: (l) => logged.push(l), metadataFile: METADATA, classesFile: CLASSES }));
  assert.match(source.promptSet.promptCheck ?? '', /^skipped \(--folder-prompts/);
  assert.equal(source.promptSet.count, 4);
  assert.match(logged[0]!, /^note \(--folder-prompts\)/);
});

test('a --prompts-dir without the files is still an error (no silent fallback when the user named the folder)', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'gb-prompts-'));
  await assert.rejects(
    offline(() => loadGenevalPromptSource({ imagesDir: folder(), promptsDir: empty, log: () => {}, metadataFile: METADATA, classesFile: CLASSES })),
    (e) => isGenbenchError(e, 'E_NOT_FOUND'),
  );
});
