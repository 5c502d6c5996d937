/**
 * Shows the newest rollups of a host's series, straight from the store (until the query service
 * lands, this is where to look):
 *
 *   node scripts/rollups.ts [--instance HOST] [--res 60|3600] [--last N] [--wait SECONDS] METRIC...
 *
 * `--wait` polls (bounded) until every metric has at least one rollup, then prints; exit 1 if not.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { connectStore, type Doc } from '../common/mongo.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    instance: { type: 'string', default: hostname() },
    res: { type: 'string', default: '60' },
    last: { type: 'string', default: '3' },
    wait: { type: 'string', default: '0' },
  },
});
const metrics = positionals.length
  ? positionals
  : ['node_cpu_seconds_total', 'node_memory_MemAvailable_bytes'];
const coll = values.res === '3600' ? 'rollups_1h' : 'rollups_1m';
const store = await connectStore(
  process.env.MONGO_URL || 'mongodb://127.0.0.1:27017/',
  process.env.MONGO_DB || 'sluice',
);

type Row = { series: Doc; docs: Doc[] };
async function fetchRows(): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  for (const name of metrics) {
    const series = await store.db
      .collection<Doc>('series')
      .find({ name, 'labels.instance': values.instance })
      .limit(32)
      .toArray();
    const rows: Row[] = [];
    for (const s of series) {
      const docs = await store.db
        .collection<Doc>(coll)
        .find({ _id: { $gte: `${s._id}:`, $lt: `${s._id};` } })
        .sort({ _id: -1 })
        .limit(Number(values.last))
        .toArray();
      if (docs.length) rows.push({ series: s, docs });
    }
    out.set(name, rows);
  }
  return out;
}

const deadline = Date.now() + Number(values.wait) * 1000;
let rows = await fetchRows();
while ([...rows.values()].some((r) => r.length === 0) && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 1000));
  rows = await fetchRows();
}
let missing = false;
for (const [name, list] of rows) {
  console.log(`\n${name}  (instance=${values.instance}, ${coll})`);
  if (list.length === 0) {
    console.log('  no rollups yet');
    missing = true;
  }
  for (const { series, docs } of list) {
    const labels = Object.entries(series.labels as Record<string, string>)
      .filter(([k]) => !['instance', 'job'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    for (const d of docs) {
      const start = (d.start as Date).toISOString().slice(0, 16).replace('T', ' ');
      const value =
        series.kind === 'counter'
          ? `increase=${d.inc}`
          : `avg=${(d.sum / d.n).toFixed(0)} min=${d.min} max=${d.max}`;
      console.log(`  ${start}  {${labels}}  n=${d.n}  ${value}  last=${d.last?.v}`);
    }
  }
}
await store.client.close();
process.exit(missing ? 1 : 0);
