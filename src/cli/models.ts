import { Command } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { fetchModel, importModel, listModels, verifyModels } from '../runtime/models.ts';
// Loading the metric model catalog registers the built-in models with the registry (runtime/model-catalog.ts).
import '../metrics/catalog.ts';
import { EXIT, formatTable, printJson, withExamples } from './common.ts';

function mb(bytes: number | null | undefined): string {
  if (bytes === undefined || bytes === null) return '';
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

export function modelsCommand(): Command {
  const cmd = new Command('models').description('List, fetch, import and verify metric and generator models (ONNX, sha256 and signature checked)');
  cmd
    .command('list')
    .description('registered models: status, whether cached, size, license')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const models = await listModels();
      if (o.json) return printJson(models);
      const rows = models.map((m) => {
        const state = m.cached ? (m.verified ? 'cached, verified' : 'cached') : m.fetchable ? 'fetchable' : m.status;
        return [m.id, m.family, state, m.cached ? mb(m.bytes) : '', `${m.license}${m.standsInFor ? `  (fixture for ${m.standsInFor})` : ''}`];
      });
      process.stdout.write(formatTable(['ID', 'FAMILY', 'STATUS', 'SIZE', 'LICENSE'], rows, [3]));
    });
  cmd
    .command('fetch')
    .description('download models into the cache (resumable), verified by sha256')
    .argument('<ids...>', 'model ids (genbench models list)')
    .option('--from <dir>', 'take the files from a local folder instead of the network')
    .action(async (ids: string[], o: { from?: string }) => {
      for (const id of ids) {
        let last = 0;
        const m = await fetchModel(id, {
          from: o.from,
          onProgress: (file, bytes, total) => {
            const now = Date.now();
            if (now - last > 2000 || bytes === total) {
              last = now;
              process.stderr.write(`${id}: ${file} ${mb(bytes)}${total ? ` / ${mb(total)}` : ''}\n`);
            }
          },
        });
        for (const f of m.files) process.stdout.write(`${id}: ${f.path} sha256 ${f.sha256}\n`);
      }
    });
  cmd
    .command('import')
    .description('register a local ONNX file (e.g. made by tools/export/*.py) under an id; its signature is checked against the registry contract')
    .argument('<id>', 'model id (an export-required registry id, or a new one)')
    .argument('<file>', 'the .onnx file')
    .option('--description <text>', 'what it is (new ids)')
    .option('--license <spdx>', 'license of the weights (new ids)')
    .option('--with <name=path...>', 'companion files the model needs besides its graph (clip-vit-l14-text: tokenizer.json=PATH)')
    .action(async (id: string, file: string, o: { description?: string; license?: string; with?: string[] }) => {
      const companions: Record<string, string> = {};
      for (const w of o.with ?? []) {
        const i = w.indexOf('=');
        if (i <= 0) throw new GenbenchError('E_USAGE', `--with expects name=path, got "${w}"`, 'for example --with tokenizer.json=./clip-vit-l14-tokenizer.json');
        companions[w.slice(0, i)] = w.slice(i + 1);
      }
      const r = await importModel({ id, file, description: o.description, license: o.license, companions });
      process.stdout.write(`${id}: imported ${r.path} sha256 ${r.sha256}\n`);
    });
  cmd
    .command('verify')
    .description('rehash cached models and check their ONNX signatures against the registry')
    .argument('[ids...]', 'model ids (default: every cached model)')
    .option('--json', 'machine-readable output')
    .action(async (ids: string[], o: { json?: boolean }) => {
      const out = await verifyModels(ids.length > 0 ? ids : undefined);
      const ok = out.filter((r) => r.status === 'ok').length;
      const bad = out.length - ok;
      if (o.json) printJson(out);
      for (const r of o.json ? [] : out) {
        const line = r.status === 'failed' || r.status === 'missing' ? `${r.status === 'missing' ? 'MISSING' : 'FAILED'}: ${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ''}` : r.status === 'not-cached' ? 'NOT CACHED (nothing verified)' : 'ok';
        process.stdout.write(`${r.id.padEnd(26)} ${line}\n`);
      }
      if (out.length === 0) {
        // Asked to verify, verified nothing: say so and fail (a silent exit 0 would read as "all good").
        process.stderr.write('nothing to verify: no model is installed in the cache (genbench models fetch ID, genbench models import ID FILE, or evaluate --fixture-models to build the fixtures)\n');
        process.exitCode = EXIT.failed;
        return;
      }
      if (!o.json) process.stdout.write(`verified ${ok} of ${out.length} model(s)${bad > 0 ? `; ${bad} missing, not cached or failed` : ''}\n`);
      if (bad > 0) process.exitCode = EXIT.failed;
    });
  const subExamples: Record<string, string[]> = {
    list: ['genbench models list', 'genbench models list --json'],
    fetch: ['genbench models fetch fixture-dino --from ./fixtures', 'genbench models fetch fixture-dino fixture-raft --from ./fixtures'],
    import: [
      'genbench models import dino-vitb16 dino.onnx',
      'genbench models import clip-vit-l14-text clip-text.onnx --with tokenizer.json=./tokenizer.json',
      'genbench models import my-dino ./dino.onnx --description "DINO ViT-B/16, my export" --license Apache-2.0',
    ],
    verify: ['genbench models verify', 'genbench models verify dino-vitb16 --json'],
  };
  for (const sub of cmd.commands) withExamples(sub, subExamples[sub.name()] ?? []);
  return withExamples(cmd, [
    'genbench models list',
    'genbench models fetch fixture-dino --from ./fixtures',
    '/usr/bin/python3 tools/export/dino.py dino_vitbase16_pretrain.pth dino.onnx && genbench models import dino-vitb16 dino.onnx',
    'genbench models verify',
  ]);
}
