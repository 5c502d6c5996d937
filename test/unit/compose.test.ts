/**
 * docker-compose.yml cannot run here (no Docker engine), so this test holds it to the services'
 * configuration schemas: every Sluice service runs a known command, sets only variables its schema
 * knows with values the schema accepts, publishes the port it listens on, and points every address
 * variable at a service of the file on a port that service serves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, type Schema } from '../../common/config.ts';
import { ADDRESS_VARIABLES } from '../../common/settings.ts';
import { SERVICES } from '../../scripts/services.ts';

const root = new URL('../../', import.meta.url);
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

const catalog: Record<string, { schema: Schema; listen: string }> = SERVICES;

const sluiceServices = Object.entries(services).filter(([, s]) => s.image === 'sluice:local');
const containerPorts = (s: Service) => (s.ports ?? []).map((p) => Number(p.split(':').at(-1)));

/** The ports a compose service serves on, from its published ports or Kafka's listener setting. */
function servedPorts(name: string): number[] {
  const s = services[name];
  if (!s) return [];
  const listeners = s.environment?.KAFKA_LISTENERS?.split(',').map((l) => Number(l.split(':').at(-1))) ?? [];
  return [...containerPorts(s), ...listeners];
}

describe('docker-compose.yml', () => {
  it('runs every Sluice service once, from the one image', () => {
    expect(sluiceServices.map(([, s]) => s.command?.[0]).sort()).toEqual(Object.keys(catalog).sort());
    for (const [, s] of sluiceServices) expect(s.build).toBe('.');
  });

  it.each(Object.keys(catalog))('%s: known variables, valid values, published listen port', (cmd) => {
    const [name, s] = sluiceServices.find(([, x]) => x.command?.[0] === cmd) ?? [];
    if (!name || !s) throw new Error(`no compose service runs ${cmd}`);
    const { schema, listen } = catalog[cmd]!;
    const env = s.environment ?? {};
    for (const key of Object.keys(env)) expect(Object.keys(schema), `${name}.${key}`).toContain(key);
    const cfg = loadConfig(schema, env) as Record<string, unknown>;
    const [host, port] = String(cfg[listen]).split(':');
    expect(host, `${name} must listen on all interfaces in a container`).toBe('0.0.0.0');
    expect(containerPorts(s), `${name} publishes its listen port`).toContain(Number(port));
    // Inside a container 127.0.0.1 is the container itself: each address the service uses must be set.
    for (const v of ADDRESS_VARIABLES)
      if (v in schema) expect(Object.keys(env), `${name} sets ${v}`).toContain(v);
  });

  it('points every address at a service of the file, on a port that service serves', () => {
    for (const [name, s] of sluiceServices) {
      const env = s.environment ?? {};
      const targets: string[] = [
        ...(env.KAFKA_BROKERS?.split(',') ?? []),
        ...[env.MONGO_URL, env.REDIS_URL, env.SLUICE_AGENT_INGEST_URL]
          .filter((u): u is string => !!u)
          .map((u) => new URL(u).host),
      ];
      for (const t of targets) {
        const [host, port] = t.split(':');
        expect(Object.keys(services), `${name} → ${t}`).toContain(host);
        expect(servedPorts(host!), `${name} → ${t}`).toContain(Number(port));
      }
    }
  });

  it('uses the versions the local stack runs', () => {
    expect(services.kafka?.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    expect(services.mongo?.image).toBe('mongo:8');
    expect(services.redis?.image).toMatch(/^redis:7/);
    const pom = readFileSync(new URL('scripts/kafka/pom.xml', root), 'utf8');
    expect(services.kafka?.image?.split(':')[1]).toBe(/<kafka.version>(.*)<\/kafka.version>/.exec(pom)?.[1]);
  });

  it('provisions Grafana with the query service as its Prometheus data source', () => {
    const ds = parse(
      readFileSync(new URL('deploy/grafana/provisioning/datasources/sluice.yaml', root), 'utf8'),
    );
    const url = new URL(ds.datasources[0].url);
    expect(ds.datasources[0].type).toBe('prometheus');
    expect(url.hostname).toBe('query');
    expect(servedPorts('query')).toContain(Number(url.port));
  });
});
