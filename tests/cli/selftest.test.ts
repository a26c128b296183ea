/**
 * `genbench selftest`: passes on this installation with every check named and its numbers, and
 * fails (exit 1, the failing check named) when ffmpeg is broken, when a golden value differs from
 * what the kernels compute, when a golden is damaged, and when a cached model is tampered with.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { builtinModelSpecs } from '../../src/runtime/registry.ts';
import { GOLDEN_PATH, loadGolden, type Golden } from '../../src/selftest/golden.ts';
import { checkResize } from '../../src/selftest/resize.ts';
import { checkModels } from '../../src/selftest/models.ts';
import type { CheckResult } from '../../src/selftest/result.ts';

const freshHome = () => mkdtempSync(join(tmpdir(), 'gb-selftest-home-'));

test('selftest passes on this installation: one line per check with ✓/–, the numbers, exit 0; --json lists the same checks', () => {
  const home = freshHome();
  const text = runCli(['selftest'], { GENBENCH_HOME: home });
  assert.equal(text.code, 0, text.stdout + text.stderr);
  const lines = text.stdout.trim().split('\n');
  assert.match(lines.at(-1)!, /^selftest passed: \d+ ok, \d+ skipped \(device cpu\)$/);
  assert.match(text.stdout, /^✓ decoder +decoded frames vs OpenCV [\d.]+ cv2\.VideoCapture: 4 frame\(s\) \(expected 4\), max \|Δ\| 0 over 9216 values, bit-identical$/m);
  assert.match(text.stdout, /^✓ resize +torch_bicubic_up \(WebAssembly\): max \|Δ\| 0 over \d+ values vs torchvision/m);
  assert.match(text.stdout, /^✓ resize +opencv_linear_up \(JavaScript\): max \|Δ\| 0 /m);
  assert.match(text.stdout, /^✓ onnxruntime +cpu execution provider .*max \|Δ\| 0 over 3 outputs/m);
  for (const spec of builtinModelSpecs()) {
    // Nothing is installed in a fresh GENBENCH_HOME: fixtures are built and checked, real models skipped.
    const mark = spec.status === 'fixture' ? `✓ model +${spec.id}: built, sha256 ${spec.files[0].sha256!.slice(0, 12)}… as pinned` : `– model +${spec.id}: not installed \\(skipped\\)`;
    assert.match(text.stdout, new RegExp(`^${mark}`, 'm'), spec.id);
  }
  for (const line of lines.slice(0, -1)) assert.match(line, /^[✓–] /, line);

  const json = runCli(['selftest', '--json'], { GENBENCH_HOME: home });
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { ok: boolean; device: string; checks: CheckResult[]; counts: Record<string, number> };
  assert.equal(report.ok, true);
  assert.equal(report.checks.length, lines.length - 1);
  assert.equal(report.counts.failed, 0);
  const resize = report.checks.filter((c) => c.group === 'resize');
  const golden = loadGolden();
  // Every golden case once per kernel it has (non-antialiased torch: JavaScript and WebAssembly).
  const expectedLines = Object.values(golden.resize).reduce((n, c) => n + (c.op === 'torch' && !c.antialias ? 2 : 1), 0);
  assert.equal(resize.length, expectedLines);
  for (const c of resize) assert.ok(c.maxAbsDiff! <= golden.resize[c.name.split(' ')[0]!]!.tolerance, c.name);
});

test('a broken ffmpeg (GENBENCH_FFMPEG) fails the decoder check by name, exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-selftest-ff-'));
  const broken = join(dir, 'ffmpeg');
  writeFileSync(broken, '#!/bin/sh\necho "this ffmpeg is broken" >&2\nexit 3\n', { mode: 0o755 });
  const r = runCli(['selftest'], { GENBENCH_HOME: freshHome(), GENBENCH_FFMPEG: broken });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^✗ decoder +ffmpeg lavfi test video: .*this ffmpeg is broken/m);
  assert.match(r.stdout, /^– decoder +decoded frames: needs the test video$/m);
  assert.match(r.stdout, /^selftest FAILED: 1 failed \(decoder ffmpeg lavfi test video\)/m);
  // The other checks still ran.
  assert.match(r.stdout, /^✓ onnxruntime /m);
});

/** The golden with one stored value changed (and its hash updated, so the change is compared, not flagged as damage). */
function tampered(golden: Golden, key: string, index: number, delta: number): Golden {
  const g = structuredClone(golden);
  const c = g.resize[key]!;
  const bytes = Buffer.from(c.data, 'base64');
  if (c.dtype === 'uint8') bytes[index] = (bytes[index]! + delta) & 255;
  else bytes.writeFloatLE(bytes.readFloatLE(index * 4) + delta, index * 4);
  c.data = bytes.toString('base64');
  c.sha256 = createHash('sha256').update(bytes).digest('hex');
  return g;
}

test('a golden value that differs from what the kernels compute fails that case, with its max |Δ|', () => {
  const golden = loadGolden();
  const bad = checkResize(tampered(tampered(golden, 'opencv_linear_up', 100, 3), 'torch_bicubic_up', 7, 0.5));
  const byName = new Map(bad.map((c) => [c.name, c]));
  assert.equal(byName.get('opencv_linear_up (JavaScript)')!.status, 'failed');
  assert.equal(byName.get('opencv_linear_up (JavaScript)')!.maxAbsDiff, 3);
  for (const kernel of ['JavaScript', 'WebAssembly']) {
    const c = byName.get(`torch_bicubic_up (${kernel})`)!;
    assert.equal(c.status, 'failed', kernel);
    assert.ok(Math.abs(c.maxAbsDiff! - 0.5) < 1e-4, `${kernel}: ${c.maxAbsDiff}`);
  }
  assert.deepEqual(bad.filter((c) => c.status === 'failed').map((c) => c.name).sort(), ['opencv_linear_up (JavaScript)', 'torch_bicubic_up (JavaScript)', 'torch_bicubic_up (WebAssembly)']);
});

test('a damaged golden file (data no longer matching its recorded hash) is reported, through the CLI, exit 1', () => {
  const raw = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Golden;
  const bytes = Buffer.from(raw.resize['pil_bilinear_up']!.data, 'base64');
  bytes[0] = bytes[0]! ^ 1;
  raw.resize['pil_bilinear_up']!.data = bytes.toString('base64');
  const path = join(mkdtempSync(join(tmpdir(), 'gb-selftest-golden-')), 'golden.json');
  writeFileSync(path, JSON.stringify(raw));
  const r = runCli(['selftest', '--golden', path], { GENBENCH_HOME: freshHome() });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^✗ resize +pil_bilinear_up \(JavaScript\): golden resize case pil_bilinear_up is damaged/m);
});

test('a tampered cached model fails its line; a model file without a registered hash too', async () => {
  const home = freshHome();
  const before = process.env['GENBENCH_HOME'];
  process.env['GENBENCH_HOME'] = home;
  try {
    mkdirSync(join(home, 'models', 'fixture-dino'), { recursive: true });
    writeFileSync(join(home, 'models', 'fixture-dino', 'fixture-dino.onnx'), 'not the fixture');
    mkdirSync(join(home, 'models', 'dino-vitb16'), { recursive: true });
    writeFileSync(join(home, 'models', 'dino-vitb16', 'dino-vitb16.onnx'), 'a file nobody imported');
    const results = await checkModels();
    const dino = results.find((c) => c.name === 'fixture-dino')!;
    assert.equal(dino.status, 'failed');
    assert.equal(dino.error?.code, 'E_CHECKSUM');
    assert.match(dino.detail, /sha256 mismatch/);
    const real = results.find((c) => c.name === 'dino-vitb16')!;
    assert.equal(real.status, 'failed');
    assert.equal(results.find((c) => c.name === 'raft-things')!.status, 'skipped');
    assert.equal(results.find((c) => c.name === 'fixture-raft')!.status, 'ok');
  } finally {
    if (before === undefined) delete process.env['GENBENCH_HOME'];
    else process.env['GENBENCH_HOME'] = before;
  }
});
