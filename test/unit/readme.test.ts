import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generatedSections } from '../../scripts/services.ts';

it.each(Object.entries(generatedSections()))("README's %s section equals its source", (name, body) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme);
  expect(m?.[1]?.trim(), `run: node scripts/services.ts update-readme`).toBe(body);
});
