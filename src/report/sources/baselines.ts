import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GenbenchError } from '../../core/errors.ts';
import { layoutFor } from '../suites/layout-for.ts';
import type { ReportEntry } from './entry.ts';

/**
 * Published numbers in results/baselines/*.json: each file holds one source (paper or official
 * README table) for one suite, the scale its numbers are written on, and the models it reports.
 * Numbers are copied as printed (rounded), never re-measured, and shown marked as published.
 */
const ModelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.+-]*$/),
  name: z.string().min(1),
  dimensions: z.record(z.string(), z.number()).default({}),
  headline: z.record(z.string(), z.number()).default({}),
  note: z.string().optional(),
});

export const BaselineFileSchema = z.object({
  schema: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  aliases: z.array(z.string()).default([]),
  suite: z.enum(['vbench', 'geneval']),
  source: z.object({
    title: z.string().min(1),
    authors: z.string().min(1),
    venue: z.string().min(1),
    table: z.string().min(1),
    url: z.string().url(),
    note: z.string().optional(),
  }),
  /** How the numbers below are written: `percent` (80.12) or `fraction` (0.75). */
  scale: z.enum(['percent', 'fraction']),
  /** Decimals as printed in the source. */
  decimals: z.number().int().min(0).max(6),
  models: z.array(ModelSchema).min(1),
});
export type BaselineFile = z.infer<typeof BaselineFileSchema>;

export const BASELINES_DIR = fileURLToPath(new URL('../../../results/baselines/', import.meta.url));

export function readBaselineFile(path: string): BaselineFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GenbenchError('E_INPUT', `baseline file is not readable JSON: ${path}`, 'fix or remove the file', { cause: e });
  }
  const parsed = BaselineFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GenbenchError('E_INPUT', `baseline file ${path} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'see results/baselines/README.md for the format');
  }
  const f = parsed.data;
  const layout = layoutFor(f.suite);
  const known = new Set([...layout.dimensions.map((d) => d.id), ...layout.headlines.map((h) => h.id)]);
  for (const m of f.models) {
    for (const k of [...Object.keys(m.dimensions), ...Object.keys(m.headline)]) {
      if (!known.has(k)) throw new GenbenchError('E_INPUT', `baseline ${f.id}/${m.id}: unknown ${f.suite} column "${k}"`, `known: ${[...known].join(', ')}`);
    }
  }
  return f;
}

export function listBaselineFiles(dir = BASELINES_DIR): BaselineFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => readBaselineFile(join(dir, n)));
}

function toFraction(v: number, scale: BaselineFile['scale']): number {
  return scale === 'percent' ? v / 100 : v;
}

function entryOf(f: BaselineFile, m: BaselineFile['models'][number]): ReportEntry {
  const dims = Object.fromEntries(Object.entries(m.dimensions).map(([k, v]) => [k, toFraction(v, f.scale)]));
  const layout = layoutFor(f.suite);
  const headline: ReportEntry['headline'] = {};
  for (const h of layout.headlines) {
    const v = m.headline[h.id];
    headline[h.id] = v === undefined ? { value: null, missing: [], partial: false } : { value: toFraction(v, f.scale), missing: [], partial: false };
  }
  return {
    kind: 'published',
    id: `baseline:${f.id}/${m.id}`,
    label: m.name,
    suite: f.suite,
    dimensions: dims,
    headline,
    smoke: false,
    published: {
      source: { ...f.source, note: [f.source.note, m.note].filter(Boolean).join(' ') || undefined },
      baselineId: f.id,
      modelId: m.id,
      decimals: f.decimals,
    },
  };
}

/**
 * Published entries for the names given to --baseline, for one suite. A name is a baseline file id,
 * one of its aliases (`nova`), a model id, `all`, or the path of a baseline JSON file.
 */
export function selectBaselines(names: string[], suite: string, dir = BASELINES_DIR): ReportEntry[] {
  const files = listBaselineFiles(dir);
  const out: ReportEntry[] = [];
  const seen = new Set<string>();
  const add = (e: ReportEntry) => {
    if (!seen.has(e.id)) {
      seen.add(e.id);
      out.push(e);
    }
  };
  for (const name of names) {
    if (name.endsWith('.json') && existsSync(name)) {
      const f = readBaselineFile(name);
      if (f.suite !== suite) throw new GenbenchError('E_USAGE', `baseline ${basename(name)} is for ${f.suite}, the runs are ${suite}`);
      f.models.forEach((m) => add(entryOf(f, m)));
      continue;
    }
    let matched = 0;
    for (const f of files) {
      const whole = name === 'all' || name === f.id || f.aliases.includes(name);
      for (const m of f.models) {
        if (whole || m.id === name) {
          matched += 1;
          if (f.suite === suite) add(entryOf(f, m));
        }
      }
    }
    if (matched === 0) {
      const names = [...new Set(files.flatMap((f) => [f.id, ...f.aliases]))].sort();
      throw new GenbenchError('E_USAGE', `unknown baseline "${name}"`, `available: ${names.join(', ')}, a model id, all, or a path to a baseline .json`);
    }
  }
  return out;
}
