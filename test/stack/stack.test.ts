/**
 * The stack script's promises: `up` on a running stack is a no-op, and a port held by a process that
 * is not ours is refused by name with that process left running and nothing of ours started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const stack = join(root, 'scripts/stack');
const runDir = process.env.SLUICE_RUN_DIR || join(root, '.run');
const ours = ['kafka', 'ferretdb', 'redis'].filter(
  (s) =>
    !{ kafka: process.env.KAFKA_BROKERS, ferretdb: process.env.MONGO_URL, redis: process.env.REDIS_URL }[s],
);

function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync('bash', [stack, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const pids = () => ours.map((s) => readFileSync(join(runDir, s, `${s}.pid`), 'utf8'));

async function listen(): Promise<Server> {
  const server = createServer((sock) => sock.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = connect(port, '127.0.0.1', () => resolve(!!sock.end()));
    sock.on('error', () => resolve(false));
  });

describe('scripts/stack', () => {
  it('up on a running stack starts nothing and keeps the same processes', () => {
    const before = pids();
    const r = run(['up']);
    expect(r.code, r.err).toBe(0);
    for (const s of ours) expect(r.err).toContain(`${s}: already running`);
    expect(pids()).toEqual(before);
  });

  it('refuses a port held by another process, names it, and leaves that process running', async () => {
    const holder = await listen();
    const spare = [await listen(), await listen(), await listen()];
    const ports = spare.map(portOf);
    await Promise.all(spare.map((s) => new Promise((r) => s.close(r))));
    const dir = mkdtempSync(join(tmpdir(), 'sluice-stack-'));
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        SLUICE_RUN_DIR: dir,
        SLUICE_KAFKA_PORT: String(portOf(holder)),
        SLUICE_KAFKA_CONTROLLER_PORT: String(ports[0]),
        SLUICE_MONGO_PORT: String(ports[1]),
        SLUICE_REDIS_PORT: String(ports[2]),
      };
      delete env.KAFKA_BROKERS;
      delete env.MONGO_URL;
      delete env.REDIS_URL;
      const r = run(['up'], env);
      expect(r.code).toBe(1);
      expect(r.err).toContain(
        `port ${portOf(holder)} (needed by kafka) is already in use by pid ${process.pid} (`,
      );
      expect(await accepts(portOf(holder))).toBe(true);
      // Nothing of ours was started: no pid file anywhere under the run folder.
      const pidFiles = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.pid'));
      expect(pidFiles).toEqual([]);
    } finally {
      holder.close();
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  });
});
