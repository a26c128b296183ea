import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isGenbenchError } from '../../src/core/errors.ts';
import { listGenevalSamples, parseGenevalMetadata } from '../../src/suites/geneval/samples.ts';
import { readUpstreamFile, upstreamPrompts } from '../helpers/upstream-files.ts';

const upstream = upstreamPrompts('geneval/prompts/evaluation_metadata.jsonl', 'geneval/prompts/object_names.txt');
const prompts = upstream.dir ? parseGenevalMetadata(readUpstreamFile('geneval/prompts/evaluation_metadata.jsonl'), 'evaluation_metadata.jsonl') : [];
const classes = upstream.dir ? readUpstreamFile('geneval/prompts/object_names.txt').split('\n').filter(Boolean) : [];

test('the pinned prompt set: 553 prompts, tags as the paper counts them, 80 classes', { skip: upstream.skip }, () => {
  assert.equal(prompts.length, 553);
  const byTag: Record<string, number> = {};
  for (const p of prompts) byTag[p.tag] = (byTag[p.tag] ?? 0) + 1;
  assert.deepEqual(byTag, { single_object: 80, two_object: 99, counting: 80, colors: 94, position: 100, color_attr: 100 });
  assert.equal(classes.length, 80);
  assert.throws(() => parseGenevalMetadata('{"tag": "x"}\nnot json\n', 'bad.jsonl'), (e) => isGenbenchError(e, 'E_PROMPTS') && /line 1 has no tag\/include/.test(e.message));
});

function layout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gb-geneval-'));
  const folder = (i: number, meta: unknown, files: string[] | null) => {
    const f = join(dir, String(i).padStart(5, '0'));
    mkdirSync(f);
    writeFileSync(join(f, 'metadata.jsonl'), JSON.stringify(meta));
    if (files) {
      mkdirSync(join(f, 'samples'));
      for (const n of files) writeFileSync(join(f, 'samples', n), 'x');
    }
  };
  folder(0, prompts[0], ['00000.png', '00001.png', '00002.png', '00003.png']);
  // 4-digit names (README style), a prefix match the official regex accepts, and files it ignores
  folder(1, prompts[1], ['0000.png', '0001.png', '7.png.bak', 'grid.png', 'notes.txt']);
  folder(2, prompts[5], ['00000.png']); // renumbered: metadata of prompt 5 in folder 2
  folder(3, prompts[3], null); // no samples/
  writeFileSync(join(dir, 'README.txt'), 'not a prompt folder');
  mkdirSync(join(dir, 'grids'));
  return dir;
}

test('official layout: files the official evaluator takes, named problems for what it would accept silently, coverage', { skip: upstream.skip }, () => {
  const l = listGenevalSamples({ imagesDir: layout(), prompts, classes });
  assert.deepEqual(
    l.samples.map((s) => s.id),
    ['00000/samples/00000.png', '00000/samples/00001.png', '00000/samples/00002.png', '00000/samples/00003.png', '00001/samples/0000.png', '00001/samples/0001.png', '00001/samples/7.png.bak'],
  );
  assert.deepEqual(l.samples.map((s) => s.imageIndex).slice(4), [0, 1, 7]);
  assert.deepEqual(l.problems.map((p) => [p.folder, /differs from GenEval prompt 2/.test(p.reason) || /no samples\//.test(p.reason)]), [['00002', true], ['00003', true]]);
  assert.equal(l.expectedImages, 2212);
  // Folders that exist but cannot be used (00002/, 00003/) are named problems, not "absent" folders
  // (both still refuse the run without --allow-partial); absent are 00004/ … 00552/.
  assert.equal(l.missingPrompts.length, 553 - 4);
  assert.deepEqual(l.missingPrompts.slice(0, 3), [4, 5, 6]);
  assert.deepEqual(l.shortPrompts, [{ index: 1, images: 3 }]);
});

test('unknown class names and metadata that is not one JSON object are named problems; an empty or missing folder is an error', { skip: upstream.skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-geneval-'));
  const custom = [{ tag: 'single_object', include: [{ class: 'unicorn', count: 1 }], prompt: 'a photo of a unicorn' }, prompts[1]!];
  mkdirSync(join(dir, '00000', 'samples'), { recursive: true });
  writeFileSync(join(dir, '00000', 'metadata.jsonl'), JSON.stringify(custom[0]));
  mkdirSync(join(dir, '00001', 'samples'), { recursive: true });
  writeFileSync(join(dir, '00001', 'metadata.jsonl'), JSON.stringify(custom[1]) + '\n' + JSON.stringify(custom[1]));
  const l = listGenevalSamples({ imagesDir: dir, prompts: custom, classes });
  assert.match(l.problems[0]!.reason, /unknown class name\(s\) "unicorn"/);
  assert.match(l.problems[1]!.reason, /not one JSON object/);
  assert.throws(() => listGenevalSamples({ imagesDir: join(dir, 'nope'), prompts, classes }), (e) => isGenbenchError(e, 'E_NOT_FOUND'));
  const empty = mkdtempSync(join(tmpdir(), 'gb-geneval-'));
  assert.throws(() => listGenevalSamples({ imagesDir: empty, prompts, classes }), (e) => isGenbenchError(e, 'E_INPUT') && /no prompt folders/.test(e.message));
});
