import { loadConfig } from '../common/config.ts';
import { logger } from '../common/log.ts';
import { createLifecycle, handleSignals } from '../common/service.ts';
import { connectSchema } from './config.ts';
import { startConnect } from './service.ts';

export async function main(): Promise<void> {
  const cfg = loadConfig(connectSchema);
  const log = logger('connect', cfg.LOG_LEVEL);
  const life = createLifecycle(log);
  handleSignals(life, log, 60_000);
  const c = await startConnect(cfg, log);
  life.onClose('connect', () => c.close());
  log.info({ listen: cfg.SLUICE_CONNECT_LISTEN }, 'connect started');
}
