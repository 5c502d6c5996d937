/**
 * What other folders may import from ingest: the service entry points, the error-code registry (README
 * table) and the configuration schema. Everything else in ingest/ is internal.
 */
export { ingestSchema } from './config.ts';
export { errorTableMarkdown, INGEST_ERRORS, type IngestErrorCode } from './errors.ts';
export { type IngestConfig, type IngestDeps, type IngestHandle, main, startIngest } from './main.ts';
