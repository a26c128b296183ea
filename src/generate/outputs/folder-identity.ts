/**
 * A generation folder holds one configuration: OUT/genbench/generation.json records its identity
 * (suite, the generator's identity — NOVA: checkpoint and settings — and the prompt files), and a
 * later run that would add samples of another configuration is refused, naming what differs, so
 * the folder's samples stay comparable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { stableStringify } from '../../core/hash.ts';

/** The part of the provenance a folder's samples must share. */
export type FolderIdentity = Record<string, unknown>;

/** An output folder's earlier generation.json: where it is and what it holds. */
export interface PreviousGeneration {
  path: string;
  record: Record<string, unknown>;
}

/** generation.json of an earlier run; null when there is none or it cannot be read (checkFolder reports that). */
export function readPreviousGeneration(provenancePath: string): PreviousGeneration | null {
  if (!existsSync(provenancePath)) return null;
  try {
    const v = JSON.parse(readFileSync(provenancePath, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? { path: provenancePath, record: v as Record<string, unknown> } : null;
  } catch {
    return null;
  }
}

export function sameJson(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

function differences(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k];
    const y = b[k];
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) out.push(...differences(x as Record<string, unknown>, y as Record<string, unknown>, `${prefix}${k}.`));
    else if (!sameJson(x, y)) out.push(`${prefix}${k}: ${JSON.stringify(y)} here, ${JSON.stringify(x)} requested`);
  }
  return out;
}

/**
 * Refuses to add samples of another configuration to a folder that already has some. `conflicts`
 * adds differences the identity does not hold (NOVA: the checkpoint files' hashes, known once the
 * checkpoint is hashed).
 */
export function checkFolder(provenancePath: string, want: FolderIdentity, conflicts?: (previous: Record<string, unknown>) => string[]): void {
  if (!existsSync(provenancePath)) return;
  let prev: Record<string, unknown> & { identity?: FolderIdentity };
  try {
    prev = JSON.parse(readFileSync(provenancePath, 'utf8'));
  } catch {
    throw new GenbenchError('E_INPUT', `${provenancePath} is damaged`, 'restore it, or generate into a new --out folder');
  }
  const diff = prev.identity ? differences(want, prev.identity) : ['no identity recorded'];
  if (conflicts) diff.push(...conflicts(prev));
  if (diff.length) {
    throw new GenbenchError('E_USAGE', `${resolve(provenancePath, '../..')} already holds samples made with other settings: ${diff.slice(0, 4).join('; ')}`, 'use another --out folder for another configuration (a folder holds one configuration, so its samples stay comparable)');
  }
}
