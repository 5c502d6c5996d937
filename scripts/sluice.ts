/**
 * One command for every service: `node scripts/sluice.ts <agent|ingest|processor|connect|query>`.
 * Each stage's `main.ts` exports `main(): Promise<void>`, which validates its configuration (exit 2
 * naming the bad setting), starts, and handles its own signals.
 */
import { ConfigError } from '../common/errors.ts';
import { SERVICES, type ServiceName } from './services.ts';

const name = process.argv[2] as ServiceName | undefined;
if (!name || !(name in SERVICES)) {
  console.error(`usage: sluice <${Object.keys(SERVICES).join('|')}>`);
  process.exit(2);
}
const modules: Record<ServiceName, () => Promise<{ main: () => Promise<void> }>> = {
  agent: () => import('../agent/main.ts'),
  ingest: () => import('../ingest/main.ts'),
  processor: () => import('../processor/main.ts'),
  connect: () => import('../connect/main.ts'),
  query: () => import('../query/main.ts'),
};
try {
  await (await modules[name]()).main();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(
      JSON.stringify({
        level: 'fatal',
        service: name,
        code: err.code,
        setting: err.setting,
        msg: err.message,
      }),
    );
    process.exit(2);
  }
  console.error(JSON.stringify({ level: 'fatal', service: name, msg: String((err as Error)?.stack ?? err) }));
  process.exit(1);
}
