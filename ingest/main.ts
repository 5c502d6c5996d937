/** Placeholder until the ingest service lands. */
export async function main(): Promise<void> {
  throw new Error('ingest: not built yet');
}
