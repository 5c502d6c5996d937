/** Placeholder until the agent service lands. */
export async function main(): Promise<void> {
  throw new Error('agent: not built yet');
}
