/** Fixture models for the demo: built, imported into the demo's cache and verified (runtime lands in #3). */
export async function prepareDemoModels(): Promise<string[]> {
  return ['(fixture models arrive with the runtime: skipped)'];
}
