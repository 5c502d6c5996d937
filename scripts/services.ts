/**
 * The catalog of Sluice services: the one place that names every service with its configuration
 * schema and listen setting. The CLI, the compose test and the README's configuration table read it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { agentSchema } from '../agent/config.ts';
import { agentConfigFileMarkdown } from '../agent/configfile.ts';
import type { Schema } from '../common/config.ts';
import { connectSchema } from '../connect/config.ts';
import { ingestSchema } from '../ingest/config.ts';
import { errorTableMarkdown } from '../ingest/errors.ts';
import { processorSchema } from '../processor/config.ts';
import { querySchema } from '../query/config.ts';

export interface ServiceEntry {
  schema: Schema;
  /** The setting holding the service's HTTP listen address. */
  listen: string;
  summary: string;
}

export const SERVICES = {
  agent: { schema: agentSchema, listen: 'SLUICE_AGENT_LISTEN', summary: 'host and app metrics → ingest' },
  ingest: { schema: ingestSchema, listen: 'SLUICE_INGEST_LISTEN', summary: 'agents → Kafka `raw`' },
  processor: {
    schema: processorSchema,
    listen: 'SLUICE_PROCESSOR_LISTEN',
    summary: '`raw` → 1m/1h rollup deltas, exactly once',
  },
  connect: { schema: connectSchema, listen: 'SLUICE_CONNECT_LISTEN', summary: 'rollup deltas → MongoDB' },
  query: { schema: querySchema, listen: 'SLUICE_QUERY_LISTEN', summary: 'Prometheus API for Grafana' },
} satisfies Record<string, ServiceEntry>;

export type ServiceName = keyof typeof SERVICES;

/** The README's configuration section, generated from the schemas (a test keeps README equal to it). */
export function configMarkdown(): string {
  const rows = new Map<string, { kind: string; def: string; doc: string; services: string[] }>();
  for (const [name, entry] of Object.entries(SERVICES)) {
    for (const [key, s] of Object.entries(entry.schema as Schema)) {
      const row = rows.get(key) ?? {
        kind: s.kind + (s.min !== undefined || s.max !== undefined ? ` ${s.min ?? ''}..${s.max ?? ''}` : ''),
        def: Array.isArray(s.default) ? s.default.join(',') : String(s.default ?? '(required)'),
        doc: s.doc,
        services: [],
      };
      row.services.push(name);
      rows.set(key, row);
    }
  }
  const lines = ['| variable | type | default | used by | meaning |', '| --- | --- | --- | --- | --- |'];
  for (const [key, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| \`${key}\` | ${r.kind} | \`${r.def}\` | ${r.services.join(', ')} | ${r.doc} |`);
  }
  return lines.join('\n');
}

/** The generated sections of the README: marker name → content. */
export function generatedSections(): Record<string, string> {
  return {
    config: configMarkdown(),
    'ingest-errors': errorTableMarkdown(),
    'agent-config-file': agentConfigFileMarkdown(),
  };
}

/** Rewrites the README's generated sections (between `<!-- name:begin -->` and `<!-- name:end -->`). */
export function updateReadme(path: string): void {
  const readme = readFileSync(path, 'utf8');
  let next = readme;
  for (const [name, body] of Object.entries(generatedSections())) {
    next = next.replace(
      new RegExp(`(<!-- ${name}:begin -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`),
      (_, begin: string, end: string) => `${begin}${body}\n${end}`,
    );
  }
  if (next !== readme) writeFileSync(path, next);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'config-md') console.log(configMarkdown());
  else if (process.argv[2] === 'update-readme')
    updateReadme(new URL('../README.md', import.meta.url).pathname);
}
