/**
 * CLIP tokenisation against the OFFICIAL open_clip 2.20.0 `tokenize` (tests/golden/clip-tokenizer.json,
 * tools/parity/clip_tokenizer_golden.py), with the reduced vocabulary tests/fixtures/clip-tokenizer-reduced.json
 * (exactly the merges the official run applied, original ids and ranks).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GenbenchError } from '../../src/core/errors.ts';
import { clipCleanText, htmlUnescape } from '../../src/metrics/clip/clip-text-clean.ts';
import { CLIP_EOT, CLIP_SOT, ClipTokenizer, loadClipTokenizer } from '../../src/metrics/clip/clip-tokenizer.ts';
import { GENEVAL_CLASSES, genevalClassNames, upstreamTextSkip } from '../helpers/upstream-text.ts';
import { upstreamFilePath } from '../helpers/upstream-files.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
interface Golden {
  contextLength: number;
  classNames: { count: number; sha256: string };
  colors: string[];
  templates: string[];
  colourPrompts: [number, number, number, number[]][];
  strings: { text: string; ids: number[] }[];
}
const golden = JSON.parse(readFileSync(here('../golden/clip-tokenizer.json'), 'utf8')) as Golden;
const FIXTURE = here('../fixtures/clip-tokenizer-reduced.json');
const tokenizer = loadClipTokenizer(FIXTURE);

function padded(ids: number[]): number[] {
  return [...ids, ...new Array(golden.contextLength - ids.length).fill(0)];
}

test('every GenEval colour prompt (80 classes × 10 colours × 3 templates) gets the official ids', { skip: upstreamTextSkip.genevalClasses }, () => {
  const names = genevalClassNames();
  assert.equal(names.length, golden.classNames.count);
  const upstream = readFileSync(upstreamFilePath(GENEVAL_CLASSES)!);
  assert.equal(createHash('sha256').update(upstream).digest('hex'), golden.classNames.sha256);
  assert.equal(golden.colourPrompts.length, 2400);
  for (const [ci, k, t, ids] of golden.colourPrompts) {
    const text = golden.templates[t]!.replace('{c}', golden.colors[k]!).replace('{obj}', names[ci]!);
    assert.deepEqual(Array.from(tokenizer.tokenize(text)), padded(ids), text);
  }
});

test('awkward strings: case, punctuation, white space, entities, quotes, ligatures, widths, Unicode, truncation', () => {
  for (const { text, ids } of golden.strings) {
    assert.deepEqual(Array.from(tokenizer.tokenize(text)), ids, JSON.stringify(text));
  }
  const long = golden.strings.find((s) => s.text.length > 300)!;
  assert.equal(long.ids[76], CLIP_EOT); // truncated: the end token stays last
  assert.equal(golden.strings.find((s) => s.text === '')!.ids.slice(0, 3).join(), `${CLIP_SOT},${CLIP_EOT},0`);
});

test('tokenizeBatch lays rows out as int64 [n, 77]', () => {
  const texts = ['a photo of a red object', 'a photo of a blue object'];
  const batch = tokenizer.tokenizeBatch(texts);
  assert.equal(batch.length, 2 * 77);
  texts.forEach((t, i) => assert.deepEqual(Array.from(batch.slice(i * 77, (i + 1) * 77), Number), Array.from(tokenizer.tokenize(t))));
});

test('text cleaning pieces (hand-checked against Python html.unescape / str.lower)', () => {
  assert.equal(htmlUnescape('&amp;amp; &lt &#65;&#x42; &ampx &unknown;'), '&amp; < AB &x &unknown;');
  assert.equal(htmlUnescape('&AMP; &LT &QUOT; &GTx &Amp;'), '& < " >x &Amp;');
  assert.equal(clipCleanText('  A\u00a0B\t\tC  '), 'a b c');
});

test('a tokenizer.json that is not CLIP BPE is refused with E_INPUT', () => {
  const json = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const bad = (mutate: (j: any) => void) => {
    const j = structuredClone(json);
    mutate(j);
    assert.throws(() => new ClipTokenizer(j, 'x.json'), (e: unknown) => e instanceof GenbenchError && e.code === 'E_INPUT');
  };
  bad((j) => delete j.model);
  bad((j) => (j.model.end_of_word_suffix = null));
  bad((j) => (j.model.vocab['<|endoftext|>'] = 1));
  assert.throws(() => loadClipTokenizer(here('missing.json')), (e: unknown) => e instanceof GenbenchError && e.code === 'E_NOT_FOUND');
  // a word whose tokens the reduced vocabulary lacks is an error, not a silent unknown token
  assert.throws(() => tokenizer.tokenize('zebra xylophone'), (e: unknown) => e instanceof GenbenchError && e.code === 'E_INPUT');
});
