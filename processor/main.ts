/** Placeholder until the processor service lands. */
export async function main(): Promise<void> {
  throw new Error('processor: not built yet');
}
