import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { parseShard } from '../../src/core/shard.ts';
import { mergeVbenchShards } from '../../src/suites/vbench/merge.ts';
import { byteMeanDimension } from '../helpers/byte-mean-dimension.ts';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const CHILD = fileURLToPath(new URL('../helpers/byte-mean-run.ts', import.meta.url));

function yamlDocs(rel: string): any[] {
  const docs = parseAllDocuments(readFileSync(join(DEPLOY, rel), 'utf8'));
  for (const d of docs) assert.deepEqual(d.errors, [], `${rel}: ${d.errors.map((e) => e.message).join('; ')}`);
  return docs.map((d) => d.toJS());
}

const EnvVar = z.object({ name: z.string(), value: z.string() });
const Container = z.object({
  name: z.string(),
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).min(1),
  env: z.array(EnvVar).optional(),
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string().startsWith('/') })),
});
const JobSchema = z.object({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  metadata: z.object({ name: z.string().regex(/^[a-z0-9-]+$/) }),
  spec: z.object({
    completionMode: z.enum(['Indexed', 'NonIndexed']).optional(),
    completions: z.number().int().positive(),
    parallelism: z.number().int().positive().optional(),
    template: z.object({
      spec: z.object({
        restartPolicy: z.enum(['Never', 'OnFailure']),
        containers: z.array(Container).min(1),
        volumes: z.array(z.object({ name: z.string(), persistentVolumeClaim: z.object({ claimName: z.string() }).optional(), emptyDir: z.object({}).optional() })),
      }),
    }),
  }),
});
const PvcSchema = z.object({ apiVersion: z.literal('v1'), kind: z.literal('PersistentVolumeClaim'), metadata: z.object({ name: z.string() }) });

/** Run a recipe's shell text with `tool` defined as a function that prints its arguments, one per line. */
function argsOf(script: string, tool: string, env: Record<string, string>): string[] {
  const r = spawnSync('/bin/sh', ['-c', `${tool}() { for a in "$@"; do printf '%s\\n' "$a"; done; }\n${script}`], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

function shardArg(args: string[]): string {
  const i = args.indexOf('--shard');
  assert.ok(i >= 0, `no --shard in ${args.join(' ')}`);
  return args[i + 1]!;
}

/** Every index 0..N-1 exactly once, all with count N. */
function assertCovers(shards: string[], n: number): void {
  const parsed = shards.map((s) => parseShard(s));
  assert.ok(parsed.every((p) => p.count === n), `counts ${shards.join(' ')}`);
  assert.deepEqual(parsed.map((p) => p.index).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
}

test('Kubernetes manifests parse and have the shape the recipe needs', () => {
  const shards = yamlDocs('kubernetes/genbench-shards.yaml');
  const merge = yamlDocs('kubernetes/genbench-merge.yaml');
  const pvc = PvcSchema.parse(shards.find((d) => d.kind === 'PersistentVolumeClaim'));
  const job = JobSchema.parse(shards.find((d) => d.kind === 'Job'));
  const mergeJob = JobSchema.parse(merge[0]);
  assert.equal(job.spec.completionMode, 'Indexed');
  assert.equal(job.spec.parallelism, job.spec.completions);
  for (const j of [job, mergeJob]) {
    const claims = j.spec.template.spec.volumes.map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean);
    assert.deepEqual(claims, [pvc.metadata.name], 'jobs share the results volume');
    const c = j.spec.template.spec.containers[0]!;
    for (const m of c.volumeMounts) assert.ok(j.spec.template.spec.volumes.some((v) => v.name === m.name), `volume ${m.name} defined`);
  }
});

test('Kubernetes Indexed Job: JOB_COMPLETION_INDEX 0..N-1 gives --shard 1/N..N/N, each once, and distinct --out folders', () => {
  const job = JobSchema.parse(yamlDocs('kubernetes/genbench-shards.yaml').find((d) => d.kind === 'Job'));
  const c = job.spec.template.spec.containers[0]!;
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
  const n = job.spec.completions;
  assert.equal(Number(env.SHARDS), n, 'SHARDS agrees with completions');
  const runs = Array.from({ length: n }, (_, i) => argsOf(c.args[0]!, 'genbench', { ...env, JOB_COMPLETION_INDEX: String(i) }));
  assertCovers(runs.map(shardArg), n);
  const outs = runs.map((a) => a[a.indexOf('--out') + 1]);
  assert.equal(new Set(outs).size, n);
  // The merge Job's glob matches exactly these folders.
  const mergeJob = JobSchema.parse(yamlDocs('kubernetes/genbench-merge.yaml')[0]);
  const mergeEnv = Object.fromEntries((mergeJob.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
  assert.equal(mergeEnv.SHARDS, env.SHARDS);
  const dir = mkdtempSync(join(tmpdir(), 'gb-k8s-'));
  const script = mergeJob.spec.template.spec.containers[0]!.args[0]!.replaceAll('/results', dir).split('&&')[0]!;
  for (const o of outs) spawnSync('mkdir', ['-p', o!.replace('/results', dir)]);
  const mergeArgs = argsOf(script, 'genbench', mergeEnv);
  assert.deepEqual(mergeArgs.slice(1, 1 + n).sort(), outs.map((o) => o!.replace('/results', dir)).sort());
});

test('GitHub Actions matrix and GitLab parallel recipes cover every shard exactly once', () => {
  const gh = yamlDocs('ci/github-actions-shards.yml')[0];
  const values: number[] = gh.jobs.shard.strategy.matrix.shard;
  const n = Number(gh.env.SHARDS);
  assert.equal(values.length, n);
  const step = gh.jobs.shard.steps.find((s: any) => typeof s.run === 'string' && s.run.includes('--shard'));
  const shards = values.map((v) => step.run.replaceAll('${{ matrix.shard }}', String(v)).replaceAll('${{ env.SHARDS }}', String(n)).match(/--shard (\S+)/)![1]!);
  assertCovers(shards, n);
  assert.deepEqual(gh.jobs.merge.needs, 'shard');

  const gl = yamlDocs('ci/gitlab-ci.yml')[0];
  const par: number = gl.bench.parallel;
  const script: string = gl.bench.script.join('\n');
  // CI_NODE_INDEX runs 1..CI_NODE_TOTAL.
  const glShards = Array.from({ length: par }, (_, i) => shardArg(argsOf(script, 'npm', { CI_NODE_INDEX: String(i + 1), CI_NODE_TOTAL: String(par) })));
  assertCovers(glShards, par);
  assert.deepEqual(gl.stages, ['bench', 'merge', 'gate']);

  const gate = yamlDocs('ci/github-actions-gate.yml')[0];
  assert.ok(gate.jobs.gate['runs-on'].includes('gpu'));
  assert.ok(gate.jobs.gate.steps.some((s: any) => typeof s.run === 'string' && /genbench gate --baseline/.test(s.run)));
});

test('the Dockerfile builds on CUDA, installs the CUDA execution provider and runs genbench', () => {
  const df = readFileSync(join(DEPLOY, 'docker/Dockerfile'), 'utf8');
  assert.match(df, /^FROM nvidia\/cuda:\S+/m);
  // onnxruntime-node's install script is denied in package.json's allowScripts (npm ≥ 11.16 skips it, so
  // `npm ci --onnxruntime-node-install=cuda12` installs no CUDA provider): the provider comes from `npm run install:cuda`.
  assert.match(df, /npm ci .*&& npm run install:cuda/);
  assert.match(df, /^ENTRYPOINT \["node", "\/opt\/genbench\/bin\/genbench\.js"\]/m);
  assert.deepEqual(readdirSync(join(DEPLOY, 'docker')), ['Dockerfile']);
});

test('merging the recipe\'s N shard runs equals one unsharded run', { timeout: 120_000 }, async () => {
  const job = JobSchema.parse(yamlDocs('kubernetes/genbench-shards.yaml').find((d) => d.kind === 'Job'));
  const n = job.spec.completions;
  const samples = mkdtempSync(join(tmpdir(), 'gb-recipe-s-'));
  for (let p = 0; p < 10; p++) for (let i = 0; i < 2; i++) writeFileSync(join(samples, `prompt ${p}-${i}.mp4`), Buffer.from([p * 11 + i, 5, p]));
  const w = mkdtempSync(join(tmpdir(), 'gb-recipe-'));
  const run = (out: string, shard?: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, samples, out, `${out}.calls`, '0', ...(shard ? [shard] : [])], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  run(join(w, 'full'));
  const dirs = Array.from({ length: n }, (_, i) => join(w, `shard-${i + 1}-of-${n}`));
  dirs.forEach((d, i) => run(d, `${i + 1}/${n}`));
  await mergeVbenchShards(dirs, join(w, 'merged'), async () => byteMeanDimension((p) => readFile(p)));
  const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
  assert.deepEqual(json(join(w, 'merged', 'scores.json')), json(join(w, 'full', 'scores.json')));
});

test('every recipe that runs on a GPU installs the CUDA provider with npm run install:cuda, never with an npm ci flag that allowScripts makes a no-op', () => {
  const allowScripts = JSON.parse(readFileSync(join(DEPLOY, '..', 'package.json'), 'utf8')).allowScripts ?? {};
  assert.equal(allowScripts['onnxruntime-node'], false);
  for (const f of ['ci/github-actions-gate.yml', 'ci/github-actions-shards.yml', 'ci/gitlab-ci.yml', 'docker/Dockerfile']) {
    const text = readFileSync(join(DEPLOY, f), 'utf8');
    assert.doesNotMatch(text, /onnxruntime-node-install/, f);
    assert.match(text, /npm run install:cuda/, f);
  }
});
