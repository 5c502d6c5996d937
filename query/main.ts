/** Placeholder until the query service lands. */
export async function main(): Promise<void> {
  throw new Error('query: not built yet');
}
