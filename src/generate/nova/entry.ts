/** NOVA's registry entry (../registry.ts): `--model nova-…` (a catalogue id or alias, checkpoints.ts). */
import type { GeneratorEntry } from '../contract.ts';

export const novaEntry: GeneratorEntry = {
  kind: 'generator',
  id: 'nova',
  describe: 'NOVA checkpoints (nova-osp480 video; nova-sd512, nova-sdxl1024-w768|w1024|w1536 images) over ONNX Runtime',
  claims: (model) => model.startsWith('nova-'),
  load: async () => (await import('./generator.ts')).novaGenerator,
};
