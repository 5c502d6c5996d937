import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { configMarkdown } from '../../scripts/services.ts';

it("README's configuration table equals the services' schemas", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = /<!-- config:begin -->\n([\s\S]*?)<!-- config:end -->/.exec(readme);
  expect(m?.[1]?.trim()).toBe(configMarkdown());
});
