/** Placeholder until the connect service lands. */
export async function main(): Promise<void> {
  throw new Error('connect: not built yet');
}
