import { GenbenchError } from '../../core/errors.ts';

/**
 * Allowed drops in percentage points of the score (score × 100), the same unit for VBench (80.12 %)
 * and GenEval (0.75 = 75 %): `--max-drop dynamic_degree=1,total=0.2 --default-max-drop 0.3`.
 */
export function parseMaxDrops(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_]+)\s*=\s*([0-9]*\.?[0-9]+)$/.exec(part);
    if (!m) throw new GenbenchError('E_USAGE', `--max-drop: "${part}" is not DIM=POINTS`, 'for example --max-drop dynamic_degree=1,total=0.2');
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export function allowedDrop(id: string, perScore: Record<string, number>, fallback: number): number {
  return perScore[id] ?? fallback;
}
