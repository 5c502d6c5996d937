import { loadConfig } from '../common/config.ts';
import { logger } from '../common/log.ts';
import { createLifecycle, handleSignals } from '../common/service.ts';
import { processorSchema } from './config.ts';
import { startProcessor } from './service.ts';

export async function main(): Promise<void> {
  const cfg = loadConfig(processorSchema);
  const log = logger('processor', cfg.LOG_LEVEL);
  const life = createLifecycle(log);
  handleSignals(life, log, 60_000);
  const p = await startProcessor(cfg, log);
  life.onClose('processor', () => p.close());
  log.info({ listen: cfg.SLUICE_PROCESSOR_LISTEN }, 'processor started');
}
