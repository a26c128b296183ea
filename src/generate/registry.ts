/**
 * What `--model` names, for `bench` and `generate`: each entry claims its values and says what it
 * is — a generator that makes samples from a prompt set (contract.ts), or a folder of samples
 * already on disk — so the commands look the model up instead of branching on prefixes.
 *
 *   nova-…      NOVA checkpoints (nova/entry.ts → nova/generator.ts)
 *   folder:DIR  samples already on disk (folder/entry.ts)
 *   cmd:"…"     an external command (cmd/entry.ts; planned)
 *
 * A generator module is loaded only when used (NOVA pulls in ONNX Runtime). Adding a generator:
 * an entry here, its folder under src/generate/ (see contract.ts), and its flags in cli/generate.ts.
 */
import type { GeneratorEntry, ModelEntry } from './contract.ts';
import { cmdEntry } from './cmd/entry.ts';
import { folderEntry } from './folder/entry.ts';
import { novaEntry } from './nova/entry.ts';

export const MODEL_ENTRIES: readonly ModelEntry[] = [novaEntry, folderEntry, cmdEntry];

/** The entry that claims a `--model` value; null when none does. */
export function findModel(model: string): ModelEntry | null {
  return MODEL_ENTRIES.find((e) => e.claims(model)) ?? null;
}

/**
 * `generate`'s generator when `--model` is absent (`--checkpoint-dir` alone) or claimed by no
 * entry: NOVA, whose catalogue lookup then names the known checkpoints.
 */
export const DEFAULT_GENERATOR: GeneratorEntry = novaEntry;
